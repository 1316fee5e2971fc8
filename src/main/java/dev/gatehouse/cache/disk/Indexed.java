package dev.gatehouse.cache.disk;

/**
 * What the disk index keeps in memory per entry: enough to find and check its files, not its headers.
 */
final class Indexed {
    /** The file system block the weights count in. */
    static final long BLOCK = 4096;

    private final long generation;
    private final long bodyLength;
    private final int bodyCrc;
    private final int weightKib;
    private volatile boolean verified;

    Indexed(long generation, long bodyLength, int bodyCrc, int weightKib, boolean verified) {
        this.generation = generation;
        this.bodyLength = bodyLength;
        this.bodyCrc = bodyCrc;
        this.weightKib = weightKib;
        this.verified = verified;
    }

    /** The space two files of these sizes take, in KiB of whole 4 KiB blocks. */
    static int weightKib(long bodyLength, long metaLength) {
        long blocks = (bodyLength + BLOCK - 1) / BLOCK + (metaLength + BLOCK - 1) / BLOCK;
        return (int) Math.min(Integer.MAX_VALUE, blocks * (BLOCK / 1024));
    }

    /** The same files with metadata now {@code metaLength} bytes long (after an update). */
    Indexed reweighed(long metaLength) {
        return new Indexed(generation, bodyLength, bodyCrc, weightKib(bodyLength, metaLength), verified);
    }

    long generation() {
        return generation;
    }

    long bodyLength() {
        return bodyLength;
    }

    int bodyCrc() {
        return bodyCrc;
    }

    int weightKib() {
        return weightKib;
    }

    /** Whether the body's checksum has been checked (or the body written) in this process. */
    boolean verified() {
        return verified;
    }

    void markVerified() {
        verified = true;
    }
}
