package dev.gatehouse.listener;

import dev.gatehouse.http.ErrorPages;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.function.BiConsumer;

/**
 * The request side and the response side of a page chosen by language ({@code pages.templates}): what the client
 * asked for, and the fields that say what it got.
 */
final class PageLanguage {
    private PageLanguage() {}

    /**
     * The request's {@code Accept-Language}, several field lines joined as one list (RFC 9110 §5.3); null when absent.
     * {@link dev.gatehouse.http.AcceptLanguage} bounds how much of it is looked at.
     */
    static String accepted(HttpServerExchange exchange) {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.ACCEPT_LANGUAGE);
        if (values == null || values.isEmpty()) return null;
        return values.size() == 1 ? values.getFirst() : String.join(",", values);
    }

    /**
     * {@code Content-Language} (RFC 9110 §8.5) for a page chosen by language, and {@code Vary: Accept-Language}
     * (§12.5.5): the pages are {@code no-store}, but a cache downstream that ignored that must still not hand one
     * employee's language to another. Nothing for a page that was not chosen by language.
     */
    static void describe(ErrorPages.Page page, BiConsumer<HttpString, String> field) {
        if (page.language() == null) return;
        field.accept(Headers.CONTENT_LANGUAGE, page.language());
        field.accept(Headers.VARY, Headers.ACCEPT_LANGUAGE_STRING);
    }
}
