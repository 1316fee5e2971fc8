package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The formatters write bytes straight into a reused {@link LineBuffer}; every line must be byte for byte
 * what the formatters wrote before that, when they built a {@code StringBuilder}, made it a {@code String}
 * and encoded it as UTF-8 (commit 1cc1315). Their output is kept here as the reference: the lines for a
 * set of odd records in {@code string-builder-lines.txt}, and SHA-256 digests of the lines for thousands
 * of random ones, which are generated from a fixed seed.
 */
class FormatterBytesTest {
    /** Characters where encodings differ: controls, DEL, C1, the UTF-8 length steps, separators, surrogates. */
    private static final String ODD = "aZ09 -._~%@\\\"/:;\t\r\n\u0000\u001b\u007f\u0080\u0085\u009f\u00a0é\u07ff"
            + "\u0800\u2028\u2029€\ufffd\uffff用\ud83d\ude00\ud800\udc00";
    /** SHA-256 of the 3000 {@link #randomRecords()} lines, each with its newline, as 1cc1315 wrote them. */
    private static final String RANDOM_SQUID_SHA256 = "e67702a08c7e5bffb09832c135700d7099a7d85d1f508bbdef6d87f46fa30cf9";
    private static final String RANDOM_JSON_SHA256 = "d19bb871d3dd47a59fbfd6d92bc30858506a106fd1f749be4e2957bdd0692dcd";

    private final AuditFormatter squid = new SquidNativeFormatter();
    private final AuditFormatter json = new JsonLinesFormatter();
    /** Small, so that lines make it grow; reused like the writer thread's. */
    private final LineBuffer line = new LineBuffer(16);

    @Test
    void oddRecordsGiveTheLinesThePreviousFormattersWrote() throws IOException {
        List<String> expected;
        try (InputStream in = getClass().getResourceAsStream("string-builder-lines.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<AuditRecord> records = oddRecords();
        assertEquals(2 * records.size(), expected.size());
        for (int i = 0; i < records.size(); i++) {
            assertArrayEquals(expected.get(2 * i).getBytes(StandardCharsets.UTF_8), bytes(squid, records.get(i)),
                    expected.get(2 * i));
            assertArrayEquals(expected.get(2 * i + 1).getBytes(StandardCharsets.UTF_8), bytes(json, records.get(i)),
                    expected.get(2 * i + 1));
            assertEquals(expected.get(2 * i), squid.format(records.get(i)));
            assertEquals(expected.get(2 * i + 1), json.format(records.get(i)));
        }
    }

    @Test
    void randomRecordsGiveTheBytesThePreviousFormattersWrote() throws NoSuchAlgorithmException {
        List<AuditRecord> records = randomRecords();
        assertEquals(RANDOM_SQUID_SHA256, sha256(squid, records));
        assertEquals(RANDOM_JSON_SHA256, sha256(jsonWithoutHeaderFields(), records));
    }

    /**
     * JSON lines as 1cc1315 wrote them, before {@code referer} and {@code userAgent} were added at the end: the
     * random records have neither, so each line must end in the two nulls, which are cut off again.
     */
    private AuditFormatter jsonWithoutHeaderFields() {
        byte[] added = ",\"referer\":null,\"userAgent\":null}".getBytes(StandardCharsets.US_ASCII);
        return (r, out) -> {
            json.append(r, out); // into a cleared buffer: see sha256
            byte[] tail = Arrays.copyOfRange(out.array(), out.length() - added.length, out.length());
            assertArrayEquals(added, tail, "a JSON line without the two header fields at its end");
            byte[] kept = Arrays.copyOfRange(out.array(), 0, out.length() - added.length);
            out.clear();
            out.ascii(new String(kept, StandardCharsets.ISO_8859_1)).ascii('}');
        };
    }

    @Test
    void jsonTimesAreWhatTheDateTimeFormatterWritesFromYearZeroToBeyondYear9999() {
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        long[] edges = {Long.MIN_VALUE / 2, -62_167_219_200_001L, -62_167_219_200_000L, -1, 0, 1, 951_782_400_000L,
                4_107_542_400_000L, 253_402_300_799_999L, 253_402_300_800_000L, Long.MAX_VALUE / 2};
        SplittableRandom random = new SplittableRandom(7);
        long[] times = Arrays.copyOf(edges, edges.length + 20_000);
        for (int i = edges.length; i < times.length; i++) {
            times[i] = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
        }
        for (long t : times) {
            line.clear();
            JsonLinesFormatter.time(line, t);
            assertEquals(iso.format(Instant.ofEpochMilli(t)), line.toString(), "epoch millis " + t);
        }
    }

    private byte[] bytes(AuditFormatter formatter, AuditRecord r) {
        line.clear();
        formatter.append(r, line);
        return Arrays.copyOf(line.array(), line.length());
    }

    private String sha256(AuditFormatter formatter, List<AuditRecord> records) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (AuditRecord r : records) {
            line.clear();
            formatter.append(r, line);
            line.ascii('\n');
            digest.update(line.array(), 0, line.length());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The formatter tests' records, and ones with odd characters and odd numbers in every field. */
    static List<AuditRecord> oddRecords() {
        List<AuditRecord> records = new ArrayList<>(List.of(AuditRecords.miss(), AuditRecords.memHit(),
                AuditRecords.denied(), AuditRecords.tunnel(), AuditRecords.empty(), AuditRecords.hostile()));
        AuditRecord odd = AuditRecords.miss();
        odd.setUser("Jürgen Müller 用户 😀");
        odd.setUrl("http://bücher.test/ä ö?q=€&r=\ud83d\ude00#\u2028");
        odd.setContentType("text/plain; charset=utf-8");
        odd.setCategories(List.of("ü", "", "\ud83d"));
        odd.setTags(List.of("\ude00x", "y\ud83d", "\ud83d\ud83d\ude00"));
        records.add(odd);
        AuditRecord loneSurrogates = AuditRecords.tunnel();
        loneSurrogates.setUser("\udc00\ud800");
        loneSurrogates.setUrl("\ud800");
        loneSurrogates.setMethod("\ude00GET\ud83d");
        records.add(loneSurrogates);
        AuditRecord numbers = AuditRecords.denied();
        numbers.setDurationMillis(-7);
        numbers.setStatus(-1);
        numbers.setBytesToClient(Long.MIN_VALUE);
        numbers.setBytesFromClient(Long.MAX_VALUE);
        records.add(numbers);
        AuditRecord wide = AuditRecords.miss();
        wide.setDurationMillis(1_234_567_890_123L);
        wide.setStatus(12_345);
        wide.setBytesToClient(-1);
        records.add(wide);
        AuditRecord ancient = AuditRecords.ended(-62_167_219_200_001L, 3);
        ancient.setClientAddress("::1");
        records.add(ancient);
        AuditRecord future = AuditRecords.ended(253_402_300_800_000L, 3);
        future.setClientAddress("::1");
        records.add(future);
        return records;
    }

    /** 3000 records from a fixed seed, every field drawn by {@link #text}; any time from 1200 BC to AD 10,000. */
    static List<AuditRecord> randomRecords() {
        SplittableRandom random = new SplittableRandom(20261123);
        List<AuditRecord> records = new ArrayList<>();
        for (int n = 0; n < 3000; n++) {
            AuditRecord r = AuditRecords.ended(random.nextLong(-100_000_000_000_000L, 270_000_000_000_000L),
                    random.nextLong(0, 100_000_000L));
            r.setRequestId(text(random));
            r.setClientAddress(text(random));
            r.setUser(text(random));
            r.setMethod(text(random));
            r.setUrl(text(random));
            r.setStatus(random.nextInt(-5, 1200));
            r.setBytesToClient(random.nextLong());
            r.setBytesFromClient(random.nextLong(0, 1L << 40));
            r.setResultCode(text(random));
            r.setHierarchy(text(random));
            r.setUpstreamAddress(text(random));
            r.setContentType(text(random));
            r.setDecision(text(random));
            r.setRule(text(random));
            r.setCategories(List.of(String.valueOf(text(random)), String.valueOf(text(random))));
            r.setPolicyVersion(text(random));
            r.setError(text(random));
            r.setTags(List.of(String.valueOf(text(random))));
            records.add(r);
        }
        return records;
    }

    /** Null, empty, or up to 12 characters drawn mostly from {@link #ODD}, else from anywhere in the BMP. */
    private static String text(SplittableRandom random) {
        int length = random.nextInt(-1, 13);
        if (length < 0) return null;
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x10000) : ODD.charAt(random.nextInt(ODD.length())));
        }
        return s.toString();
    }
}
