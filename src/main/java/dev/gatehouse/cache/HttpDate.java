package dev.gatehouse.cache;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats HTTP dates (RFC 9110 §5.6.7), accepting all three historical formats.
 *
 * <p>Parsing is deliberately forgiving where it costs nothing (letter case, a day name that does
 * not match the date, surrounding whitespace) and strict where it matters: anything else is
 * invalid, and callers decide what invalid means (an invalid {@code Expires} is "already
 * expired", RFC 9111 §5.3).
 */
public final class HttpDate {
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "[a-z]{3}, (\\d{2}) ([a-z]{3}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT", Pattern.CASE_INSENSITIVE);
    private static final Pattern RFC_850 = Pattern.compile(
            "[a-z]+, (\\d{2})-([a-z]{3})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT", Pattern.CASE_INSENSITIVE);
    private static final Pattern ASCTIME = Pattern.compile(
            "[a-z]{3} ([a-z]{3}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})", Pattern.CASE_INSENSITIVE);
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";
    private static final DateTimeFormatter IMF_FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDate() {
    }

    /** Milliseconds since the epoch, or empty if {@code value} is absent or not an HTTP date. */
    public static OptionalLong parse(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        String text = value.strip();
        Matcher m;
        if ((m = IMF_FIXDATE.matcher(text)).matches()) {
            return of(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
        }
        if ((m = RFC_850.matcher(text)).matches()) {
            // RFC 9110 §5.6.7 asks for "the most recent year with those digits, not over 50 years
            // ahead"; a fixed pivot at 1970 gives that answer for every date this proxy will meet.
            int twoDigits = Integer.parseInt(m.group(3));
            String year = Integer.toString(twoDigits < 70 ? 2000 + twoDigits : 1900 + twoDigits);
            return of(year, m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
        }
        if ((m = ASCTIME.matcher(text)).matches()) {
            return of(m.group(6), m.group(1), m.group(2).strip(), m.group(3), m.group(4), m.group(5));
        }
        return OptionalLong.empty();
    }

    /** {@code millis} as an IMF-fixdate, the format senders must use (RFC 9110 §5.6.7). */
    public static String format(long millis) {
        return IMF_FORMAT.format(Instant.ofEpochMilli(millis));
    }

    private static OptionalLong of(String year, String month, String day, String hour, String minute, String second) {
        int monthIndex = MONTHS.indexOf(month.toLowerCase(Locale.ROOT));
        if (monthIndex < 0 || monthIndex % 3 != 0) {
            return OptionalLong.empty();
        }
        try {
            // A leap second (":60") is folded into the second before it rather than rejected.
            LocalDateTime time = LocalDateTime.of(Integer.parseInt(year), monthIndex / 3 + 1, Integer.parseInt(day),
                    Integer.parseInt(hour), Integer.parseInt(minute), Math.min(59, Integer.parseInt(second)));
            return OptionalLong.of(time.toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeException e) {
            return OptionalLong.empty();
        }
    }
}
