package dev.gatehouse.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heaviest keys of a stream (top clients, top blocked hosts) in bounded memory: the Space-Saving
 * algorithm of Metwally, Agrawal and El Abbadi (2005). At most {@code capacity} keys are tracked; a new
 * key evicts the smallest one and inherits its count, so a key's count may be overestimated by at most
 * the count it inherited, and any key seen more than {@code total / capacity} times is guaranteed to be
 * tracked. A client scanning random host names therefore costs a fixed amount of memory, never a map
 * entry per name.
 *
 * <p>Thread-safe; each update is O(1) until the table is full, then O(capacity) for a new key, which is
 * small (capacity is in the hundreds) next to the request it counts.
 */
final class TopCounts {
    /** One tracked key: how often it was seen and the bytes that came with it. */
    record Entry(String name, long count, long bytes) {}

    private static final class Slot {
        long count;
        long bytes;
    }

    private final int capacity;
    private final Map<String, Slot> slots = new HashMap<>();

    TopCounts(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        this.capacity = capacity;
    }

    /** Counts one occurrence of {@code key} carrying {@code bytes}. */
    synchronized void add(String key, long bytes) {
        Slot slot = slots.get(key);
        if (slot == null) {
            slot = new Slot();
            if (slots.size() >= capacity) {
                Map.Entry<String, Slot> smallest = null;
                for (Map.Entry<String, Slot> e : slots.entrySet()) {
                    if (smallest == null || e.getValue().count < smallest.getValue().count) smallest = e;
                }
                slots.remove(smallest.getKey());
                slot.count = smallest.getValue().count; // Space-Saving: the newcomer inherits the evicted count
            }
            slots.put(key, slot);
        }
        slot.count++;
        slot.bytes += bytes;
    }

    /** The {@code n} keys with the highest counts, highest first (ties by name, for a stable display). */
    synchronized List<Entry> top(int n) {
        List<Entry> all = new ArrayList<>(slots.size());
        for (Map.Entry<String, Slot> e : slots.entrySet()) all.add(new Entry(e.getKey(), e.getValue().count, e.getValue().bytes));
        all.sort(Comparator.comparingLong(Entry::count).reversed().thenComparing(Entry::name));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    synchronized int tracked() {
        return slots.size();
    }
}
