package dev.gatehouse.audit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * Formats a record in the NCSA combined log format (Apache's {@code combined}), as Squid's built-in
 * {@code logformat combined} writes it, or in the shorter NCSA common format (Squid's {@code common}), for
 * tools that read only web server logs: AWStats, Webalizer, GoAccess's {@code COMBINED}, Matomo's log
 * importer, SIEM parsers.
 *
 * <p>Squid's definitions (cf.data.pre, {@code src/log/FormatHttpdCombined.cc}):
 * <pre>
 * combined  %&gt;a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %&gt;Hs %&lt;st "%{Referer}&gt;h" "%{User-Agent}&gt;h" %Ss:%Sh
 * common    %&gt;a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %&gt;Hs %&lt;st %Ss:%Sh
 * </pre>
 * <pre>
 * field        meaning
 * %&gt;a          client IP literal
 * %[ui         ident user: always '-' (Gatehouse does no RFC 931 lookups)
 * %[un         proxy-authenticated user name, URL-encoded as in the Squid format (CORP%5Calice), '-' if none
 * [%tl]        end of the access in the proxy's local time: [07/Dec/2026:02:10:00 +0100]
 * "%rm %ru HTTP/%rv"  method, URL (host:port for CONNECT), protocol; '-' for a method or URL never read,
 *              HTTP/0.0 for a protocol never read: "- error:invalid-request HTTP/0.0"
 * %&gt;Hs         status sent to the client, 0 if none (the client left first)
 * %&lt;st         bytes sent to the client, headers included
 * "Referer" "User-Agent"  the request's headers (combined only), "-" if absent or empty
 * %Ss:%Sh      Squid result code ':' hierarchy code: TCP_MISS:HIER_DIRECT, TCP_DENIED:HIER_NONE
 * </pre>
 *
 * <p>Escaping, so that a record is always one line of the same fields whatever a client sent: each value is
 * percent-encoded where it could break its field. The client, method and URL keep printable ASCII except
 * space, {@code "} and {@code \}. Referer and User-Agent keep printable ASCII with spaces (so reports show
 * {@code Mozilla/5.0 (X11; Linux x86_64)} as browsers send it) except {@code "} and {@code \}; their
 * controls (CR, LF, NUL…), DEL and bytes above 0x7F become {@code %XX} of the byte received. An existing
 * {@code %} is kept, as Squid's escaping of these fields keeps it. Squid's built-in combined writes the two
 * headers raw, so there a {@code "} in a User-Agent breaks the line for parsers; here it is {@code %22}.
 *
 * <p>The timestamp text is computed once per second of the log (log lines are mostly in time order) by one
 * shared {@link DateTimeFormatter}; an instance is meant for one audit writer thread, and is safe on others
 * too since the cached second is immutable.
 */
public final class NcsaFormatter implements AuditFormatter {
    /** Squid's {@code Time::FormatHttpd}: {@code %d/%b/%Y:%H:%M:%S %z}, English month names. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US);

    private final ZoneId zone;
    private final boolean withHeaders;
    /** The last second written and its text; replaced whole, so a racing reader sees a consistent pair. */
    private Stamp last = new Stamp(Long.MIN_VALUE, "");

    private NcsaFormatter(ZoneId zone, boolean withHeaders) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.withHeaders = withHeaders;
    }

    /** Squid's {@code combined}, with timestamps in {@code zone}. */
    public static NcsaFormatter combined(ZoneId zone) {
        return new NcsaFormatter(zone, true);
    }

    /** Squid's {@code common}: {@code combined} without Referer and User-Agent. */
    public static NcsaFormatter common(ZoneId zone) {
        return new NcsaFormatter(zone, false);
    }

    @Override
    public void append(AuditRecord r, LineBuffer out) {
        FieldEscaping.TOKEN.append(out, r.getClientAddress());
        out.ascii(" - ");
        FieldEscaping.UNRESERVED.append(out, r.getUser());
        out.ascii(" [").ascii(stamp(r.endEpochMillis())).ascii("] \"");
        FieldEscaping.QUOTED_TOKEN.append(out, r.getMethod());
        out.ascii(' ');
        FieldEscaping.QUOTED_TOKEN.append(out, r.getUrl());
        out.ascii(' ');
        if (r.getProtocol() == null) {
            out.ascii("HTTP/0.0");
        } else {
            FieldEscaping.QUOTED_TOKEN.append(out, r.getProtocol());
        }
        out.ascii("\" ").decimal(Math.max(0, r.getStatus())).ascii(' ').decimal(r.getBytesToClient()).ascii(' ');
        if (withHeaders) {
            out.ascii('"');
            FieldEscaping.QUOTED_TEXT.append(out, r.getReferer());
            out.ascii("\" \"");
            FieldEscaping.QUOTED_TEXT.append(out, r.getUserAgent());
            out.ascii("\" ");
        }
        FieldEscaping.TOKEN.append(out, r.getResultCode() == null ? "NONE_NONE" : r.getResultCode());
        out.ascii(':');
        FieldEscaping.TOKEN.append(out, r.getHierarchy() == null ? "HIER_NONE" : r.getHierarchy());
    }

    /** {@code 07/Dec/2026:02:10:00 +0100} for the second of {@code epochMillis}. */
    private String stamp(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Stamp s = last;
        if (s.second != second) {
            s = new Stamp(second, TIMESTAMP.format(Instant.ofEpochSecond(second).atZone(zone)));
            last = s;
        }
        return s.text;
    }

    private record Stamp(long second, String text) {}
}
