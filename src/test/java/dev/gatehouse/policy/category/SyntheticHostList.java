package dev.gatehouse.policy.category;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a deterministic stand-in for UT1's 4.6 M-entry {@code adult} list, with the shape
 * measured in {@code shared/data/categories/SOURCE.md}: mean length about 16, 2/3/4/5 labels at
 * 85/12/1/2 %, the UT1 TLD mix, about 1.5 % IPv4 literals and 0.03 % punycode labels.
 */
final class SyntheticHostList {
    private static final String[] TLDS = {"com", "tk", "info", "net", "cc", "top", "org", "ru", "de", "fr", "xyz",
        "io", "co", "uk", "nl", "pl", "it", "es", "br", "biz"};
    /** Cumulative per-mille weights of {@link #TLDS}: com 35 %, tk 15 %, info 12 %, net 3.7 %... */
    private static final int[] TLD_WEIGHTS = {350, 500, 620, 657, 687, 710, 730, 770, 810, 845, 875, 895, 915, 930,
        945, 960, 972, 984, 994, 1000};
    private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SplittableRandom random;

    SyntheticHostList(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Writes {@code count} hosts, one a line, and returns every {@code sampleEvery}-th for queries.
     */
    List<String> write(Path file, int count, int sampleEvery) throws IOException {
        List<String> sample = new ArrayList<>();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < count; i++) {
                String host = next();
                out.write(host);
                out.write('\n');
                if (i % sampleEvery == 0) {
                    sample.add(host);
                }
            }
        }
        return sample;
    }

    String next() {
        if (random.nextInt(1000) < 15) {
            return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
        }
        int roll = random.nextInt(100);
        int labels = roll < 85 ? 2 : roll < 97 ? 3 : roll < 98 ? 4 : 5;
        String tld = tld();
        int length = Math.max(4, Math.min(79, (int) Math.round(16 + random.nextGaussian() * 4.5)));
        int budget = Math.max(labels - 1, length - tld.length() - (labels - 1));
        StringBuilder host = new StringBuilder(length + 8);
        for (int l = 0; l < labels - 1; l++) {
            int left = labels - 1 - l;
            int size = left == 1 ? budget : Math.max(1, Math.min(budget - (left - 1), 1 + random.nextInt(Math.max(1,
                    budget / left * 2))));
            budget -= size;
            if (random.nextInt(10_000) < 3) {
                host.append("xn--");
            }
            for (int c = 0; c < Math.max(1, size); c++) {
                host.append(LETTERS[random.nextInt(c == 0 ? 26 : LETTERS.length)]);
            }
            host.append('.');
        }
        return host.append(tld).toString();
    }

    /** A miss with four labels, as the query stream of SOURCE.md asks. */
    String miss() {
        return "q" + random.nextInt(1 << 30) + ".cdn" + random.nextInt(1000) + ".nothing-listed." + tld();
    }

    /**
     * One query of the stream SOURCE.md asks for: 20 % a listed host, 20 % its {@code www.} subdomain
     * (a listed IPv4 literal is queried as is), 60 % a {@link #miss()}.
     */
    String query(List<String> listed) {
        int kind = random.nextInt(10);
        String host = listed.get(random.nextInt(listed.size()));
        return kind < 2 ? host : kind < 4 && !Character.isDigit(host.charAt(host.length() - 1)) ? "www." + host
                : miss();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private String tld() {
        int roll = random.nextInt(1000);
        for (int i = 0; i < TLD_WEIGHTS.length; i++) {
            if (roll < TLD_WEIGHTS[i]) {
                return TLDS[i];
            }
        }
        return "com";
    }
}
