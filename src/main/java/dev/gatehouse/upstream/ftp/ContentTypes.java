package dev.gatehouse.upstream.ftp;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/** The content type of an FTP file, guessed from its name: FTP has no content types of its own. */
final class ContentTypes {
    /** Common on FTP mirrors and missing from the JDK's table. */
    private static final Map<String, String> EXTRA = Map.of(
            "gz", "application/gzip", "tgz", "application/gzip", "bz2", "application/x-bzip2",
            "xz", "application/x-xz", "iso", "application/x-iso9660-image", "md5", "text/plain",
            "sha256", "text/plain", "asc", "text/plain", "sig", "application/pgp-signature");
    static final String DEFAULT = "application/octet-stream";

    private ContentTypes() {}

    static String forName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            String extra = EXTRA.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (extra != null) return extra;
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? DEFAULT : guessed;
    }
}
