package dev.gatehouse.policy.category;

/**
 * An open-addressing hash table from 64-bit fingerprints to int values (linear probing, power-of-
 * two capacity, load factor at most 3/4): 12 bytes per slot, no object per entry.
 *
 * <p>A one-bit-per-key filter of 8 bits per slot sits in front: most lookups are misses (a
 * suffix walk probes every parent domain), and the filter is 12 times smaller than the table,
 * so it stays in cache where the table cannot. About 1.6 bytes per entry more.
 */
final class FingerprintTable {
    private static final int FILTER_BITS_PER_SLOT_LOG = 3;

    private long[] keys;
    private int[] values;
    private long[] filter;
    private int filterShift;
    private int size;
    private int mask;

    FingerprintTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 4L / 3 + 1)) * 2 - 1);
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        int filterLog = Integer.numberOfTrailingZeros(capacity) + FILTER_BITS_PER_SLOT_LOG;
        filter = new long[Math.max(1, (1 << filterLog) >>> 6)];
        filterShift = 64 - filterLog; // the top bits: the slot index uses the low ones
    }

    /** @return the value for {@code key}, or -1 */
    int get(long key) {
        int bit = (int) (key >>> filterShift);
        if ((filter[bit >>> 6] & (1L << bit)) == 0) {
            return -1;
        }
        int i = (int) key & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Stores {@code value} for {@code key}, replacing any previous value. */
    void put(long key, int value) {
        if ((size + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int i = (int) key & mask;
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            keys[i] = key;
            int bit = (int) (key >>> filterShift);
            filter[bit >>> 6] |= 1L << bit;
            size++;
        }
        values[i] = value;
    }

    /** Grows once now if {@code expectedSize} entries would not fit, instead of doubling repeatedly. */
    void reserve(int expectedSize) {
        int capacity = keys.length;
        while (expectedSize * 4L > capacity * 3L && capacity < (1 << 30)) {
            capacity *= 2;
        }
        if (capacity > keys.length) {
            rehash(capacity);
        }
    }

    int size() {
        return size;
    }

    /** @return bytes held by the arrays */
    long retainedBytes() {
        return keys.length * 12L + filter.length * 8L + 48;
    }

    private void grow() {
        rehash(keys.length * 2);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(capacity);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
