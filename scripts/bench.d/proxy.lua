-- Copied from the shared reference harness ../shared/bench/lib/proxy.lua (unchanged unless noted);
-- part of Gatehouse's scripts/bench, which must not depend on ../shared at run time.
-- wrk script: send one fixed GET per request.
-- Usage: wrk ... -s proxy.lua http://PROXYHOST:PROXYPORT/ -- TARGET [LABEL]
--   TARGET = "http://origin:port/path"  -> absolute-form request line (forward proxy)
--   TARGET = "/path"                     -> origin-form request line (direct to origin)
-- done() prints one machine-readable line starting with WRKRESULT.

local req

function init(args)
  local target = args[1] or "/"
  local headers = {}
  local authority = target:match("^https?://([^/]+)")
  if authority then
    -- forward-proxy form: Host must name the origin, not the proxy
    headers["Host"] = authority
  end
  req = wrk.format("GET", target, headers)
end

function request()
  return req
end

-- Gatehouse addition: WRK_PACE_MS makes each connection wait that long before each request (wrk's delay()
-- hook), for latency at a load that does not saturate the machine. Unset: back to back, as in the reference.
local pace_ms = tonumber(os.getenv("WRK_PACE_MS") or "")
if pace_ms and pace_ms > 0 then
  function delay()
    return pace_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "WRKRESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
