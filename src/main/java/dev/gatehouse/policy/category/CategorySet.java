package dev.gatehouse.policy.category;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An immutable set of category ids (small non-negative ints), stored as a bit set. */
public final class CategorySet {
    /** The empty set. */
    public static final CategorySet EMPTY = new CategorySet(new long[0]);

    private final long[] words;
    /** Cached: sets are map keys on the decision path (category names per set). */
    private final int hash;

    private CategorySet(long[] words) {
        this.words = words;
        int last = words.length;
        while (last > 0 && words[last - 1] == 0) {
            last--;
        }
        this.hash = Arrays.hashCode(Arrays.copyOf(words, last));
    }

    /** @return the set holding the given ids */
    public static CategorySet of(int... ids) {
        int max = -1;
        for (int id : ids) {
            max = Math.max(max, id);
        }
        long[] words = new long[(max >> 6) + 1];
        for (int id : ids) {
            words[id >> 6] |= 1L << id;
        }
        return ids.length == 0 ? EMPTY : new CategorySet(words);
    }

    /** @return true if {@code id} is in the set */
    public boolean contains(int id) {
        int word = id >> 6;
        return word < words.length && (words[word] & (1L << id)) != 0;
    }

    /** @return true if the sets share at least one id */
    public boolean intersects(CategorySet other) {
        int n = Math.min(words.length, other.words.length);
        for (int i = 0; i < n; i++) {
            if ((words[i] & other.words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** @return true if every id of {@code other} is in this set */
    public boolean containsAll(CategorySet other) {
        for (int i = 0; i < other.words.length; i++) {
            long mine = i < words.length ? words[i] : 0;
            if ((other.words[i] & ~mine) != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the union, reusing {@code this} or {@code other} when one contains the other */
    public CategorySet union(CategorySet other) {
        if (containsAll(other)) {
            return this;
        }
        if (other.containsAll(this)) {
            return other;
        }
        long[] result = Arrays.copyOf(words, Math.max(words.length, other.words.length));
        for (int i = 0; i < other.words.length; i++) {
            result[i] |= other.words[i];
        }
        return new CategorySet(result);
    }

    /** @return true if no id is in the set */
    public boolean isEmpty() {
        for (long word : words) {
            if (word != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the ids in ascending order */
    public List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            long word = words[i];
            while (word != 0) {
                ids.add(i * 64 + Long.numberOfTrailingZeros(word));
                word &= word - 1;
            }
        }
        return ids;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CategorySet other)) {
            return false;
        }
        return containsAll(other) && other.containsAll(this);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return ids().toString();
    }
}
