package dev.gatehouse.audit;

/**
 * Turns one {@link AuditRecord} into exactly one log line.
 *
 * <p>Implementations escape every logged value so that the line never contains a line break or
 * other control character, whatever a client sent; the caller adds the line terminator.
 * Implementations are thread-safe; they keep no state beyond immutable caches.
 */
public interface AuditFormatter {

    /** Appends the record as one line of UTF-8, without the trailing newline. */
    void append(AuditRecord record, LineBuffer line);

    /** The record as one line, without the trailing newline. */
    default String format(AuditRecord record) {
        LineBuffer line = new LineBuffer(256);
        append(record, line);
        return line.toString();
    }
}
