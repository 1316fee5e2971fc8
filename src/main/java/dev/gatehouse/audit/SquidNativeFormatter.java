package dev.gatehouse.audit;

/**
 * Formats a record in Squid's native access.log format, byte for byte, so GoAccess, SARG and
 * Calamaris read the file unchanged.
 *
 * <p>The Squid definition is {@code %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt}:
 * ten space-separated fields, the second right-aligned to width 6 (so parsers split on runs of
 * spaces):
 * <pre>
 * #  field           meaning
 * 1  time            end of the access: Unix seconds '.' exactly three digits of milliseconds
 * 2  elapsed         duration in ms, right-aligned width 6 (CONNECT: the tunnel lifetime)
 * 3  client          client IP literal (never a hostname)
 * 4  result/status   Squid result code '/' three-digit status sent to the client (NONE_NONE/000)
 * 5  bytes           bytes sent to the client, headers included
 * 6  method          request method, '-' if unknown
 * 7  url             absolute URL; host:port for CONNECT
 * 8  user            user name, URL-encoded (CORP%5Calice), '-' if none
 * 9  hierarchy/peer  Squid hierarchy code '/' origin IP or parent host, '-' if none (HIER_DIRECT/192.0.2.7, FIRSTUP_PARENT/hq-proxy, HIER_NONE/-)
 * 10 content type    reply Content-Type, '-' if none
 * </pre>
 *
 * <p>Every empty or absent value is written as {@code -}. So that a record is always one line of
 * exactly ten fields, values are escaped: the user name is URL-encoded (everything except RFC 3986
 * unreserved characters, as Squid does); in every other field, spaces, control characters and
 * non-ASCII characters are percent-encoded as UTF-8 bytes, and the rest (including an existing
 * {@code %xx}) is kept as it is. The request id, policy decision and other Gatehouse fields are not
 * part of this format; use JSON lines for them.
 */
public final class SquidNativeFormatter implements AuditFormatter {

    @Override
    public void append(AuditRecord r, LineBuffer out) {
        long end = r.endEpochMillis();
        out.decimal(Math.floorDiv(end, 1000)).ascii('.').decimal(Math.floorMod(end, 1000), 3, '0').ascii(' ');
        out.decimal(r.getDurationMillis(), 6, ' ').ascii(' ');
        token(out, r.getClientAddress());
        out.ascii(' ');
        token(out, r.getResultCode() == null ? "NONE_NONE" : r.getResultCode());
        out.ascii('/').decimal(Math.max(0, r.getStatus()), 3, '0').ascii(' ');
        out.decimal(r.getBytesToClient()).ascii(' ');
        token(out, r.getMethod());
        out.ascii(' ');
        token(out, r.getUrl());
        out.ascii(' ');
        userToken(out, r.getUser());
        out.ascii(' ');
        token(out, r.getHierarchy() == null ? "HIER_NONE" : r.getHierarchy());
        out.ascii('/');
        token(out, r.getUpstreamAddress());
        out.ascii(' ');
        token(out, r.getContentType());
    }

    /** A field value that must not contain spaces, controls or non-ASCII; {@code -} when empty. */
    private static void token(LineBuffer out, String value) {
        FieldEscaping.TOKEN.append(out, value);
    }

    /** The user name, URL-encoded as Squid does ({@code alice%40corp}); {@code -} when empty. */
    private static void userToken(LineBuffer out, String value) {
        FieldEscaping.UNRESERVED.append(out, value);
    }
}
