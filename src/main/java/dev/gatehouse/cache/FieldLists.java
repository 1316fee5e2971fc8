package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.List;

/** Splits and unquotes list-based field values (RFC 9110 §5.6.1 lists, §5.6.4 quoted strings). */
final class FieldLists {
    private FieldLists() {
    }

    /** The comma-separated members of {@code value}, trimmed, empty ones dropped; commas inside quotes are kept. */
    static List<String> split(String value) {
        List<String> members = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                addMember(members, current);
                continue;
            }
            current.append(c);
        }
        addMember(members, current);
        return members;
    }

    /** {@code value} without surrounding double quotes and with backslash escapes resolved; other values unchanged. */
    static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder plain = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            plain.append(c);
        }
        return plain.toString();
    }

    private static void addMember(List<String> members, StringBuilder current) {
        String member = current.toString().strip();
        if (!member.isEmpty()) {
            members.add(member);
        }
        current.setLength(0);
    }
}
