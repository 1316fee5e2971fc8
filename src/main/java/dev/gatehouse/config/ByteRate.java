package dev.gatehouse.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the byte quantities of {@code bandwidth}: rates such as {@code "20Mbit"}, {@code "500KB"} (per second,
 * an optional {@code "/s"} may follow) and sizes such as {@code "1MB"}. {@code bit} counts bits and {@code B}
 * bytes; the prefixes {@code k}/{@code K}, {@code M}, {@code G} are decimal (1000, as link speeds are quoted),
 * {@code Ki}, {@code Mi}, {@code Gi} binary (1024). A bare number is bytes. Empty or zero means unlimited (0).
 * Lower-case {@code b} alone is refused: "kb" is kilobits to some and kilobytes to others.
 */
public final class ByteRate {
    private static final Pattern FORM = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,6})?)\\s*(?:([kKMG])(i)?)?(bit|B)?(/s)?");

    private ByteRate() {
    }

    /** Bytes per second in {@code text}, 0 for empty (unlimited); throws IllegalArgumentException with advice. */
    public static long bytesPerSecond(String text) {
        return parse(text, true);
    }

    /** Bytes in {@code text} (no {@code /s}), 0 for empty; throws IllegalArgumentException with advice. */
    public static long bytes(String text) {
        return parse(text, false);
    }

    private static long parse(String text, boolean rate) {
        String t = text.trim();
        if (t.isEmpty()) return 0;
        Matcher m = FORM.matcher(t);
        if (!m.matches() || (m.group(5) != null && !rate) || (m.group(2) != null && m.group(4) == null)) {
            throw new IllegalArgumentException("expected " + (rate ? "a rate such as \"20Mbit\", \"500KB\" or \"2MiB/s\""
                    : "a size such as \"1MB\", \"64KiB\" or \"16000\"") + " (bit = bits, B = bytes), got \"" + text + "\"");
        }
        double n = Double.parseDouble(m.group(1));
        double unit = m.group(2) == null ? 1 : Math.pow(m.group(3) == null ? 1000 : 1024, switch (m.group(2)) {
            case "k", "K" -> 1;
            case "M" -> 2;
            default -> 3;
        });
        double bytes = n * unit / ("bit".equals(m.group(4)) ? 8 : 1);
        if (bytes >= Long.MAX_VALUE / 2) throw new IllegalArgumentException("too large: \"" + text + "\"");
        if (bytes > 0 && bytes < 1) throw new IllegalArgumentException("below one byte" + (rate ? " per second" : "") + ": \"" + text + "\"");
        return (long) bytes;
    }
}
