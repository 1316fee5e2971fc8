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
        long fast = imfFixdate(text);
        if (fast != Long.MIN_VALUE) {
            return OptionalLong.of(fast);
        }
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

    /**
     * IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the format every current sender uses, read by
     * position: this runs on every cache lookup (a stored {@code Date} is parsed for each Age), where the
     * regular expressions showed in profiles. {@link Long#MIN_VALUE} for anything else (the patterns then
     * decide).
     */
    private static long imfFixdate(String t) {
        if (t.length() != 29 || t.charAt(3) != ',' || t.charAt(4) != ' ' || t.charAt(7) != ' ' || t.charAt(11) != ' '
                || t.charAt(16) != ' ' || t.charAt(19) != ':' || t.charAt(22) != ':' || t.charAt(25) != ' '
                || !t.regionMatches(true, 26, "GMT", 0, 3)) {
            return Long.MIN_VALUE;
        }
        for (int i = 0; i < 3; i++) {
            char c = (char) (t.charAt(i) | 0x20);
            if (c < 'a' || c > 'z') return Long.MIN_VALUE;
        }
        int day = digits(t, 5, 2), year = digits(t, 12, 4), hour = digits(t, 17, 2), minute = digits(t, 20, 2),
                second = digits(t, 23, 2);
        int month = switch (t.substring(8, 11).toLowerCase(Locale.ROOT)) {
            case "jan" -> 1; case "feb" -> 2; case "mar" -> 3; case "apr" -> 4; case "may" -> 5; case "jun" -> 6;
            case "jul" -> 7; case "aug" -> 8; case "sep" -> 9; case "oct" -> 10; case "nov" -> 11; case "dec" -> 12;
            default -> -1;
        };
        if (day < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60
                || month < 0 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + Math.min(second, 59) * 1000L;
    }

    private static int digits(String t, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
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
