package dev.gatehouse.audit;

/**
 * The percent-encoding that keeps a logged value inside its field of a text log line, whatever a client
 * sent: which characters stay as they are depends on the field, everything else becomes {@code %XX} bytes
 * (RFC 3986 §2.1), so a value never breaks a line, splits a field or closes a quoted one.
 */
enum FieldEscaping {
    /** A space-separated field (Squid native): printable ASCII except space stays. */
    TOKEN,
    /**
     * A word inside a quoted field ({@code "%rm %ru HTTP/%rv"}): as {@link #TOKEN}, and {@code "} and
     * {@code \} are encoded too, so the quotes cannot be closed or escaped from inside.
     */
    QUOTED_TOKEN,
    /**
     * A whole quoted field ({@code "%{User-Agent}>h"}): printable ASCII including space stays, except
     * {@code "} and {@code \}. A character U+0080 to U+00FF is one byte of the header as it came (the
     * listener reads header bytes as ISO-8859-1, RFC 9110 §5.5 obs-text), encoded as that byte, as
     * Squid encodes the bytes it logs; characters above U+00FF as their UTF-8 bytes.
     */
    QUOTED_TEXT,
    /** A user name as Squid's {@code %[un} logs it: only RFC 3986 unreserved characters stay. */
    UNRESERVED;

    /** Appends {@code value} escaped for this kind of field, or {@code -} when it is null or empty. */
    void append(LineBuffer out, String value) {
        if (value == null || value.isEmpty()) {
            out.ascii('-');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (keeps(c)) {
                out.ascii(c);
            } else if (this == QUOTED_TEXT && c <= 0xFF) {
                out.percentEncodedByte(c);
            } else {
                // UTF-8 bytes of the character or surrogate pair. A lone surrogate encodes as '?' and so is
                // logged as %3F: lossy, but never a split field.
                i = out.percentEncoded(value, i);
            }
        }
    }

    private boolean keeps(char c) {
        return switch (this) {
            case TOKEN -> c > 0x20 && c < 0x7F;
            case QUOTED_TOKEN -> c > 0x20 && c < 0x7F && c != '"' && c != '\\';
            case QUOTED_TEXT -> c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
            case UNRESERVED -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
        };
    }
}
