package dev.gatehouse.policy.load;

import dev.gatehouse.policy.Schedule;
import dev.gatehouse.policy.category.CategoryIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What the readers of one policy file share: problems, paths, definitions and the version digest. */
final class LoadContext {
    final Problems problems;
    final JsonFields fields;
    final Path baseDir;
    final String fileName;
    final Map<String, NamedList> lists = new HashMap<>();
    final Map<String, Schedule> schedules = new HashMap<>();
    final Set<String> usedLists = new HashSet<>();
    CategoryIndex categories = CategoryIndex.EMPTY;
    boolean categoriesFailed;
    int regexCount;
    private final MessageDigest digest;

    LoadContext(Path policyFile, byte[] content) {
        this.fileName = policyFile.toString();
        this.problems = new Problems(fileName);
        this.fields = new JsonFields(problems);
        Path parent = policyFile.toAbsolutePath().getParent();
        this.baseDir = parent;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        digest.update(content);
    }

    /** @return a path of the policy resolved against the policy file's folder */
    Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    /**
     * Folds a data file into the version: its name, size and modification time (hashing the
     * content of 100 MB lists on every reload is not worth it; an edit changes the time).
     */
    void stamp(Path file) {
        try {
            String stamp = file + "\0" + Files.size(file) + "\0" + Files.getLastModifiedTime(file).toMillis() + "\0";
            digest.update(stamp.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @return the policy version: the first 16 hex digits of the digest */
    String version() {
        byte[] hash = digest.digest();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            out.append(String.format("%02x", hash[i]));
        }
        return out.toString();
    }
}
