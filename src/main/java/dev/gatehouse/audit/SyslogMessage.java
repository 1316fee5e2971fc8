package dev.gatehouse.audit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The RFC 5424 message that carries one audit line to a syslog collector:
 * {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}, with no structured data ({@code -}) and the
 * audit line, exactly as the file has it, as MSG. Framing (octet counting over TCP, one datagram over UDP) is the
 * transport's; this class only builds the message.
 *
 * <p>MSG is the line's bytes. An all-ASCII line goes as it is (RFC 5424 §6.4 MSG-ANY; ASCII reads the same in
 * any charset a collector assumes). A line with UTF-8 beyond ASCII (a URL or user name the formatter kept as
 * UTF-8) starts with the byte order mark, which §6.4 requires to mark MSG as UTF-8.
 */
public final class SyslogMessage {
    /** RFC 5424 §6.2.7 MSGID: says what kind of message this is, for a collector's filters. */
    static final String MSGID = "access";
    /** §6.4: the UTF-8 byte order mark that starts an MSG-UTF8. */
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** §6.2.3: RFC 3339 full-date "T" full-time with a time offset ({@code Z} for UTC), milliseconds. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
    /** §6.2.4, §6.2.5, §6.2.6: the longest HOSTNAME, APP-NAME and PROCID. */
    static final int HOSTNAME_MAX = 255;
    static final int APP_NAME_MAX = 48;
    static final int PROCID_MAX = 128;

    /** {@code <PRI>1 }: the same for every message. */
    private final String priAndVersion;
    /** {@code  HOSTNAME APP-NAME PROCID MSGID - }: what follows the timestamp, the same for every message. */
    private final String afterTimestamp;
    private final ZoneId zone;

    /**
     * @param facility RFC 5424 facility code, 0 to 23 ({@code local4} is 20)
     * @param severity RFC 5424 severity code, 0 to 7 ({@code info} is 6)
     * @param hostname the HOSTNAME field; see {@link #hostnameField}
     * @param appName  the APP-NAME field, 1-48 printable US-ASCII characters
     * @param procId   the PROCID field, e.g. the process id
     * @param zone     whose offset the timestamps carry (the audit file's local time)
     * @throws IllegalArgumentException for a code out of range or a field RFC 5424 does not allow
     */
    public SyslogMessage(int facility, int severity, String hostname, String appName, String procId, ZoneId zone) {
        this.priAndVersion = "<" + pri(facility, severity) + ">1 ";
        this.afterTimestamp = " " + hostnameField(hostname) + " " + field("APP-NAME", appName, APP_NAME_MAX) + " "
                + field("PROCID", procId, PROCID_MAX) + " " + MSGID + " - ";
        this.zone = zone;
    }

    /** RFC 5424 §6.2.1: facility times 8 plus severity, e.g. {@code local4.info} is 20 * 8 + 6 = 166. */
    static int pri(int facility, int severity) {
        if (facility < 0 || facility > 23) throw new IllegalArgumentException("syslog facility must be 0-23: " + facility);
        if (severity < 0 || severity > 7) throw new IllegalArgumentException("syslog severity must be 0-7: " + severity);
        return facility * 8 + severity;
    }

    /** RFC 5424 §6.2.3 TIMESTAMP of {@code epochMillis} in {@code zone}: {@code 2026-12-07T03:40:45.123+01:00}. */
    static String timestamp(long epochMillis, ZoneId zone) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    /**
     * A header field as RFC 5424 §6 allows it: 1 to {@code max} printable US-ASCII characters (33-126, so no
     * space), or {@code -} (NILVALUE) when empty.
     *
     * @throws IllegalArgumentException for anything else, naming the field
     */
    static String field(String name, String value, int max) {
        if (value.isEmpty()) return "-";
        if (value.length() > max || !printable(value)) {
            throw new IllegalArgumentException("syslog " + name + " must be 1-" + max
                    + " printable US-ASCII characters without spaces (RFC 5424 §6): '" + value + "'");
        }
        return value;
    }

    /**
     * The HOSTNAME field (§6.2.4) for a name the system reported, which the operator did not choose: characters
     * outside printable US-ASCII left out, cut to 255; {@code -} (NILVALUE) if nothing is left.
     */
    static String hostnameField(String hostname) {
        StringBuilder kept = new StringBuilder(Math.min(hostname.length(), HOSTNAME_MAX));
        for (int i = 0; i < hostname.length() && kept.length() < HOSTNAME_MAX; i++) {
            char c = hostname.charAt(i);
            if (c >= 33 && c <= 126) kept.append(c);
        }
        return kept.isEmpty() ? "-" : kept.toString();
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c > 126) return false;
        }
        return true;
    }

    /** Replaces {@code out} with the message for the audit line {@code line} (no terminator) logged at {@code epochMillis}. */
    void build(long epochMillis, LineBuffer line, LineBuffer out) {
        out.clear();
        out.ascii(priAndVersion).ascii(timestamp(epochMillis, zone)).ascii(afterTimestamp);
        if (line.hasNonAscii()) {
            for (byte b : BOM) out.rawByte(b);
        }
        out.append(line);
    }
}
