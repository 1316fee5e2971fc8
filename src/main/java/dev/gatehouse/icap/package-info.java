/**
 * An ICAP client (RFC 3507) for virus scanning of downloads: each forwarded response with a body is sent to a
 * RESPMOD service (c-icap's {@code virus_scan} with ClamAV, say) before the cache stores it and the client gets it,
 * as Squid's {@code icap_service ... respmod_precache} does. The service's OPTIONS (preview size, {@code Allow: 204},
 * {@code Max-Connections}, {@code Options-TTL}) are learnt at start and again when they expire. Bodies stream: the
 * origin's is written to the service on a virtual thread while the answer is read on the caller's; only a preview's
 * bytes are held. Uploads go the same way to a REQMOD service ({@code icap.reqmod}, Squid's {@code reqmod_precache}):
 * {@code ReqmodAdaptation} is the second kind of message {@code RespmodExchange}
 * runs. Blocking sockets, on virtual threads only. Depends on {@code config}, {@code http} and
 * {@code upstream} (the response type it adapts, and the strict HTTP head and chunked-body readers it reuses).
 */
package dev.gatehouse.icap;
