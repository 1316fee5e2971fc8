package dev.gatehouse.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What {@code forwarding.via} may be, and its default: this machine's host name, as Squid's
 * {@code visible_hostname} defaults to {@code gethostname()}. A per-machine default lets a branch-office
 * Gatehouse chain to a head-office one without either taking the other's {@code Via} entry for a loop.
 */
final class ViaPseudonym {
    /** A received-by pseudonym (RFC 9110 §7.6.3) kept to a token that needs no quoting in logs or pages. */
    static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Used when the host has no usable name. */
    static final String FALLBACK = "gatehouse";

    private static final Pattern INVALID_CHAR = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern NO_ALNUM = Pattern.compile("[^A-Za-z0-9]*");
    /** The kernel's host name, what {@code gethostname()} returns: no DNS lookup, no {@code HOSTNAME} variable. */
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private ViaPseudonym() {
    }

    /** The default pseudonym, looked up once per JVM: config loads repeat, the host name does not change under us. */
    static String ofThisHost() {
        return ThisHost.PSEUDONYM;
    }

    /**
     * {@code hostName} reduced to what {@link #VALID} allows: surrounding space trimmed, any other character
     * replaced by '-', cut to 64; {@link #FALLBACK} when nothing with a letter or digit is left (or it is null).
     */
    static String fromHostName(String hostName) {
        if (hostName == null) return FALLBACK;
        String name = INVALID_CHAR.matcher(hostName.strip()).replaceAll("-");
        if (name.length() > 64) name = name.substring(0, 64);
        return NO_ALNUM.matcher(name).matches() ? FALLBACK : name;
    }

    private static final class ThisHost {
        static final String PSEUDONYM = fromHostName(lookUp());

        private static String lookUp() {
            try {
                return Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8);
            } catch (IOException | SecurityException notLinux) {
                // elsewhere the JDK's getLocalHost() is gethostname() followed by a lookup of that name
                try {
                    return InetAddress.getLocalHost().getHostName();
                } catch (IOException | SecurityException e) {
                    return null;
                }
            }
        }
    }
}
