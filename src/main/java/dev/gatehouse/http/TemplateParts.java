package dev.gatehouse.http;

import java.util.List;
import java.util.function.Function;

/**
 * Text split once into literal parts and placeholders, then filled per use by appending strings only: the shape
 * shared by a policy redirect's {@code location} ({@code {url}}) and the page template ({@code {{url}}}). Each owner
 * parses its own syntax and decides how a value is encoded (percent-encoding, HTML escaping).
 *
 * @param <P> what a placeholder stands for
 */
public final class TemplateParts<P> {
    /** {@code literals[i]} comes before {@code slots[i]}; the last literal ends the text. */
    private final String[] literals;
    private final Object[] slots;
    private final int literalLength;

    /**
     * @param literals the text around the placeholders, one more than {@code slots}
     * @param slots    the placeholders, in order
     */
    public TemplateParts(List<String> literals, List<P> slots) {
        if (literals.size() != slots.size() + 1) {
            throw new IllegalArgumentException(literals.size() + " literal parts for " + slots.size() + " placeholders");
        }
        this.literals = literals.toArray(String[]::new);
        this.slots = slots.toArray();
        this.literalLength = literals.stream().mapToInt(String::length).sum();
    }

    /** The text with each placeholder replaced by {@code values.apply(placeholder)}, appended as given. */
    @SuppressWarnings("unchecked")
    public String fill(Function<? super P, String> values) {
        StringBuilder out = new StringBuilder(literalLength + 32 * slots.length + 16);
        for (int i = 0; i < slots.length; i++) {
            out.append(literals[i]).append(values.apply((P) slots[i]));
        }
        return out.append(literals[slots.length]).toString();
    }
}
