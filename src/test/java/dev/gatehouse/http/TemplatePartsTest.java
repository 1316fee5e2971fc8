package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplatePartsTest {
    private enum Slot { A, B }

    @Test
    void fillsEachPlaceholderInOrderBetweenItsLiterals() {
        TemplateParts<Slot> parts = new TemplateParts<>(List.of("<", "|", "|", ">"), List.of(Slot.A, Slot.B, Slot.A));
        assertEquals("<a|b|a>", parts.fill(s -> s.name().toLowerCase()));
    }

    @Test
    void textWithoutPlaceholdersIsItsOneLiteral() {
        assertEquals("plain", new TemplateParts<Slot>(List.of("plain"), List.of()).fill(s -> "x"));
    }

    @Test
    void literalsMustSurroundThePlaceholders() {
        assertThrows(IllegalArgumentException.class, () -> new TemplateParts<>(List.of("a", "b"), List.of(Slot.A, Slot.B)));
    }
}
