package dev.gatehouse.icap;

import java.util.List;
import java.util.Map;

/**
 * The client's request a response answers, as the service sees it in the RESPMOD's {@code req-hdr} (RFC 3507 §4.9):
 * scanners name the URL on their pages and in their logs.
 *
 * @param method  the request method
 * @param url     the absolute URL
 * @param headers end-to-end request fields, without credentials meant for this proxy ({@code Proxy-Authorization})
 */
public record ScanRequest(String method, String url, List<Map.Entry<String, String>> headers) {}
