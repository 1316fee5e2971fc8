// Evaluates Gatehouse's PAC file in a real PAC engine (pac-resolver 9 on quickjs-wasi, the engine of
// proxy-agent) for a table of URLs. Prints {contentTypes: {url: type}, results: {url: answer}} as JSON.
//   node pac-table.mjs <pacUrl> [<pacUrl2> ...] -- <url> [<url> ...]
// The script is fetched from the first PAC URL; every PAC URL's Content-Type is reported.
import { createPacResolver } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const pacUrls = argv.slice(0, split);
const urls = argv.slice(split + 1);
try {
  const contentTypes = {};
  let script = null;
  for (const u of pacUrls) {
    const r = await fetch(u);
    if (!r.ok) throw new Error(u + ': HTTP ' + r.status);
    contentTypes[u] = r.headers.get('content-type');
    const text = await r.text();
    if (script === null) script = text;
  }
  const findProxy = createPacResolver(await QuickJS.create(), script);
  const results = {};
  for (const u of urls) results[u] = await findProxy(u);
  process.stdout.write(JSON.stringify({ contentTypes, results }) + '\n');
} catch (e) {
  process.stderr.write('pac-table.mjs failed: ' + (e && e.stack || e) + '\n');
  process.exit(1);
}
