package dev.gatehouse.http;

/**
 * Every way an access can fail, with the status the client gets, the Squid error page name operators
 * know, and the short name the audit record carries. One place maps failures to statuses, as Jetty's
 * {@code proxyResponseStatus} does: upstream timeouts are 504, other upstream failures 502, and a parent proxy
 * that cannot be connected to 503, as Squid answers then ({@code FwdState::makeConnectingError}). An ICAP service
 * that cannot be used is 503 while it may come back (unreachable, too slow) and 500 when it answered wrongly, Squid's
 * {@code ERR_ICAP_FAILURE}.
 */
public enum Failure {
    BAD_REQUEST(400, "ERR_INVALID_REQ", "invalid_request", "The request could not be understood."),
    URI_TOO_LONG(414, "ERR_TOO_BIG", "uri_too_long", "The request URL is longer than this proxy accepts."),
    HEADERS_TOO_LARGE(431, "ERR_TOO_BIG", "headers_too_large", "The request header section is larger than this proxy accepts."),
    UNSUPPORTED_SCHEME(501, "ERR_UNSUP_REQ", "unsupported_scheme", "This proxy does not forward that kind of URL."),
    UNSUPPORTED_TRANSFER_CODING(501, "ERR_UNSUP_REQ", "unsupported_transfer_coding", "The request uses a transfer coding this proxy does not implement."),
    NOT_A_PROXY_REQUEST(400, "ERR_INVALID_URL", "not_a_proxy_request", "This is a proxy: configure it in your browser and request absolute URLs (http://host/path)."),
    CLIENT_DENIED(403, "ERR_ACCESS_DENIED", "client_denied", "Your address is not allowed to use this proxy."),
    DESTINATION_DENIED(403, "ERR_ACCESS_DENIED", "destination_denied", "This proxy does not connect to that address."),
    PORT_DENIED(403, "ERR_ACCESS_DENIED", "port_denied", "Tunnels are not allowed to that port."),
    POLICY_BLOCKED(403, "ERR_ACCESS_DENIED", "policy_blocked", "Access to this site is blocked by policy."),
    FORWARDING_LOOP(403, "ERR_ACCESS_DENIED", "forwarding_loop", "The request has already passed through this proxy (forwarding loop)."),
    PROXY_AUTH_REQUIRED(407, "ERR_CACHE_ACCESS_DENIED", "auth_required", "This proxy requires you to log in with your user name and password."),
    PROXY_AUTH_FAILED(407, "ERR_CACHE_ACCESS_DENIED", "auth_failed", "The user name or password was not accepted. Check them and try again."),
    AUTH_UNAVAILABLE(503, "ERR_CACHE_ACCESS_DENIED", "auth_unavailable", "The proxy cannot check logins right now because its user directory does not answer. Try again in a moment."),
    FTP_NOT_FOUND(404, "ERR_FTP_NOT_FOUND", "ftp_not_found", "The FTP server has no such file or directory."),
    FTP_LOGIN_REFUSED(401, "ERR_FTP_FORBIDDEN", "ftp_login_refused", "The FTP server refused the login; try again with a user name and password."),
    FTP_METHOD_NOT_SUPPORTED(501, "ERR_UNSUP_REQ", "ftp_method_not_supported", "Only GET and HEAD are supported for ftp:// URLs."),
    DNS_FAILURE(502, "ERR_DNS_FAIL", "dns_failure", "The host name could not be resolved."),
    CONNECT_REFUSED(502, "ERR_CONNECT_FAIL", "connect_refused", "The server refused the connection or could not be reached."),
    CONNECT_TIMEOUT(504, "ERR_CONNECT_FAIL", "connect_timeout", "The server did not accept the connection in time."),
    UPSTREAM_TIMEOUT(504, "ERR_READ_TIMEOUT", "upstream_timeout", "The server did not answer in time."),
    MALFORMED_RESPONSE(502, "ERR_INVALID_RESP", "malformed_response", "The server sent a response this proxy could not understand."),
    UPSTREAM_CLOSED(502, "ERR_ZERO_SIZE_OBJECT", "upstream_closed", "The server closed the connection without answering."),
    PARENT_UNREACHABLE(503, "ERR_CONNECT_FAIL", "parent_unreachable", "The parent proxy this proxy must forward through cannot be reached."),
    PARENT_AUTH_FAILED(502, "ERR_CANNOT_FORWARD", "parent_auth_failed", "The parent proxy refused this proxy's credentials; the proxy's administrator must fix them."),
    PARENT_REFUSED(502, "ERR_CANNOT_FORWARD", "parent_refused", "The parent proxy this proxy forwards through refused to open the connection."),
    ICAP_UNREACHABLE(503, "ERR_ICAP_FAILURE", "icap_unreachable", "The virus scanner this proxy must check downloads with cannot be reached, so the download is held back. Try again in a moment."),
    ICAP_TIMEOUT(503, "ERR_ICAP_FAILURE", "icap_timeout", "The virus scanner this proxy must check downloads with did not answer in time, so the download is held back. Try again in a moment."),
    ICAP_MALFORMED(500, "ERR_ICAP_FAILURE", "icap_malformed", "The virus scanner this proxy checks downloads with sent an answer the proxy could not understand, so the download is held back."),
    ICAP_ERROR(500, "ERR_ICAP_FAILURE", "icap_error", "The virus scanner this proxy checks downloads with reported an error, so the download is held back."),
    SHUTTING_DOWN(503, "ERR_SHUTTING_DOWN", "shutting_down", "The proxy is shutting down."),
    INTERNAL_ERROR(500, "ERR_GENERIC", "internal_error", "The proxy failed to handle the request.");

    private final int status;
    private final String squidPage;
    private final String auditName;
    private final String explanation;

    Failure(int status, String squidPage, String auditName, String explanation) {
        this.status = status;
        this.squidPage = squidPage;
        this.auditName = auditName;
        this.explanation = explanation;
    }

    public int status() { return status; }

    public String squidPage() { return squidPage; }

    public String auditName() { return auditName; }

    public String explanation() { return explanation; }
}
