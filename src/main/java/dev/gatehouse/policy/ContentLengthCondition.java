package dev.gatehouse.policy;

/**
 * Matches a response that declares a length over a limit ({@code contentLength}: {@code {"over": "500MB"}}), as
 * Squid's {@code reply_body_max_size}: the {@code Content-Length}, or the complete length a 206's
 * {@code Content-Range} names, so a big download cannot be fetched in small ranges. A response that declares
 * no length (chunked, or ended by closing) does not match: the rule is decided on the head, before any body
 * byte goes to the client; the bytes are not counted as they stream.
 *
 * @param over the limit in bytes: a declared length greater than this matches
 * @param written the limit as written in the policy, for explain
 */
public record ContentLengthCondition(long over, String written) implements Condition {

    @Override
    public Outcome test(Evaluation evaluation) {
        ResponseFacts response = evaluation.response();
        return Outcome.of(response != null && response.contentLength() > over);
    }

    @Override
    public String describe() {
        return "contentLength over " + written;
    }
}
