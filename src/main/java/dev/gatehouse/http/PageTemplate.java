package dev.gatehouse.http;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The organisation's own HTML layout for the pages the proxy renders (block, warn, failures, 407), in the
 * manner of Squid's {@code error_directory} templates and e2guardian's {@code template.html}. The file is
 * parsed once, when it is loaded, into literal text and placeholders; a page is then only appended strings.
 *
 * <p>Placeholders are {@code {{name}}} (spaces inside the braces allowed), names from {@link Placeholder}.
 * Text that merely starts with {@code {{} but is not of that form (a script's own braces) stays literal.
 */
public final class PageTemplate {
    /** Larger than any sensible page; a bigger file is a mistake (a logo inlined as base64, the wrong file). */
    public static final int MAX_BYTES = 256 * 1024;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    /** A template must say what happened: with these, or with its own text chosen by {@code {{error}}}. */
    private static final Set<Placeholder> REQUIRED = EnumSet.of(Placeholder.TITLE, Placeholder.EXPLANATION);

    /** Each placeholder, and whether its value is markup Gatehouse built itself (not escaped again). */
    public enum Placeholder {
        STATUS("status"), TITLE("title"), EXPLANATION("explanation"), URL("url"), FACTS("facts"),
        REQUEST_ID("requestId"), CONTACT("contact"), EXTRA("extra"), CLIENT("client"), USER("user"), LANGUAGE("language"),
        ERROR("error");

        private final String key;

        Placeholder(String key) { this.key = key; }

        public String key() { return key; }

        static Placeholder named(String key) {
            for (Placeholder p : values()) if (p.key.equals(key)) return p;
            return null;
        }
    }

    /** A template that cannot be used; the message names the file, the line where it applies, and the config key. */
    public static final class LoadException extends Exception {
        LoadException(String message) { super(message); }
    }

    private final String name;
    private final TemplateParts<Placeholder> parts;

    private PageTemplate(String name, List<String> literals, List<Placeholder> slots) {
        this.name = name;
        this.parts = new TemplateParts<>(literals, slots);
    }

    /** Reads and parses {@code file} (UTF-8, at most {@link #MAX_BYTES}), the file {@code pages.template} names. */
    public static PageTemplate load(Path file) throws LoadException {
        return load(file, "pages.template");
    }

    /**
     * Reads and parses {@code file} (UTF-8, at most {@link #MAX_BYTES}); {@code field} is the config key that names it
     * ({@code pages.templates.de}), used in messages.
     */
    public static PageTemplate load(Path file, String field) throws LoadException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new LoadException(file + ": " + field + " is " + size + " bytes, more than the "
                        + MAX_BYTES + " allowed; link images and style sheets instead of inlining them");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new LoadException(file + ": " + field + " not found");
        } catch (IOException e) {
            throw new LoadException(file + ": cannot read " + field + ": " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new LoadException(file + ": " + field + " is not UTF-8 text");
        }
        return parse(file.toString(), field, text);
    }

    /** Parses template text; {@code name} is used in messages. */
    public static PageTemplate parse(String name, String text) throws LoadException {
        return parse(name, "pages.template", text);
    }

    /** Parses template text; {@code name} (the file) and {@code field} (the config key) are used in messages. */
    public static PageTemplate parse(String name, String field, String text) throws LoadException {
        List<String> literals = new ArrayList<>();
        List<Placeholder> slots = new ArrayList<>();
        Set<Placeholder> seen = EnumSet.noneOf(Placeholder.class);
        Matcher m = PLACEHOLDER.matcher(text);
        int from = 0;
        while (m.find()) {
            Placeholder p = Placeholder.named(m.group(1));
            if (p == null) {
                throw new LoadException(name + ":" + lineOf(text, m.start()) + ": " + field + ": unknown placeholder " + m.group()
                        + "; known placeholders: " + String.join(", ", keys(EnumSet.allOf(Placeholder.class))));
            }
            literals.add(text.substring(from, m.start()));
            slots.add(p);
            seen.add(p);
            from = m.end();
        }
        literals.add(text.substring(from));
        Set<Placeholder> missing = EnumSet.copyOf(REQUIRED);
        missing.removeAll(seen);
        // A template that names the page by {{error}} says what happened in its own words (a translation's).
        if (!missing.isEmpty() && !seen.contains(Placeholder.ERROR)) {
            throw new LoadException(name + ": " + field + " must contain " + String.join(" and ", keys(missing))
                    + " (a page must say what happened), or {{error}} to say it in its own words");
        }
        return new PageTemplate(name, literals, slots);
    }

    private static List<String> keys(Set<Placeholder> placeholders) {
        return placeholders.stream().map(p -> "{{" + p.key() + "}}").toList();
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** The file this template was read from. */
    public String name() { return name; }

    /** The page: literal text with each placeholder replaced by {@code values.get(placeholder)}, as given. */
    String render(java.util.function.Function<Placeholder, String> values) {
        return parts.fill(values);
    }
}
