package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems by JSON pointer while a config is checked; locations are added later. */
public final class Problems {
    private final List<String[]> entries = new ArrayList<>();

    public void add(String pointer, String message) {
        entries.add(new String[] {pointer, message});
    }

    /** Runs {@code check}; an {@link IllegalArgumentException} it throws becomes a problem at {@code pointer}. */
    public void check(String pointer, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            add(pointer, e.getMessage());
        }
    }

    public void range(String pointer, long value, long min, long max) {
        if (value < min || value > max) add(pointer, "must be between " + min + " and " + max + ", got " + value);
    }

    List<String[]> entries() { return entries; }

    boolean isEmpty() { return entries.isEmpty(); }

    int size() { return entries.size(); }
}
