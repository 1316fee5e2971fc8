package dev.gatehouse.policy.category;

/**
 * An open-addressing hash table from 64-bit fingerprints to int values (linear probing, power-of-
 * two capacity, load factor at most 3/4): 12 bytes per slot, no object per entry.
 */
final class FingerprintTable {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    FingerprintTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 4L / 3 + 1)) * 2 - 1);
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /** @return the value for {@code key}, or -1 */
    int get(long key) {
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
            size++;
        }
        values[i] = value;
    }

    int size() {
        return size;
    }

    /** @return bytes held by the arrays */
    long retainedBytes() {
        return keys.length * 12L + 32;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
