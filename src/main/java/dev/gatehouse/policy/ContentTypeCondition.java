package dev.gatehouse.policy;

import java.util.List;
import java.util.Locale;

/**
 * Matches the response's media type ({@code contentType}: {@code ["application/x-msdownload", "video/*"]}), as
 * Squid's {@code acl rep_mime_type} and e2guardian's {@code bannedmimetypelist}: the {@code type/subtype} of the
 * {@code Content-Type} field without its parameters, compared case-insensitively (RFC 9110 §8.3.1); an entry
 * {@code type/*} matches every subtype. A response without the field does not match. Reads the field in place:
 * nothing is allocated per response (memory hits are checked on the IO thread).
 *
 * @param types the media types as written, lower-cased; {@code video/*} for a whole type
 */
public record ContentTypeCondition(List<String> types) implements Condition {

    public ContentTypeCondition {
        types = types.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        ResponseFacts response = evaluation.response();
        String field = response == null ? null : response.contentType();
        if (field == null) {
            return Outcome.NO_MATCH;
        }
        int start = 0;
        while (start < field.length() && isSpace(field.charAt(start))) start++;
        int end = start;
        while (end < field.length() && field.charAt(end) != ';' && !isSpace(field.charAt(end))) end++;
        int length = end - start;
        for (String type : types) {
            boolean wildcard = type.endsWith("/*");
            int compared = wildcard ? type.length() - 1 : type.length(); // "video/" of "video/*"
            if ((wildcard ? length > compared : length == compared) && field.regionMatches(true, start, type, 0, compared)) {
                return Outcome.MATCH;
            }
        }
        return Outcome.NO_MATCH;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    @Override
    public String describe() {
        return "contentType " + types;
    }
}
