package dev.gatehouse.policy;

/**
 * What a response rule may look at besides the request: the response head, as the origin sent it or as it
 * is stored. Built per checked response without parsing: the conditions read the raw field in place.
 *
 * @param status the response status
 * @param contentType the {@code Content-Type} field value as received (parameters and all), or null
 * @param contentLength the length of the whole representation the response declares ({@code Content-Length}, or
 *        the complete length of a {@code Content-Range}), or -1 when it declares none (a chunked response)
 */
public record ResponseFacts(int status, String contentType, long contentLength) {
}
