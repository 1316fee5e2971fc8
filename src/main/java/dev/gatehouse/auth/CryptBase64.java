package dev.gatehouse.auth;

/**
 * The "crypt" base-64 of MD5-crypt and SHA-crypt: alphabet {@code ./0-9A-Za-z}, each group of three digest
 * bytes (in a scheme-specific order) written as four characters, least significant six bits first.
 */
final class CryptBase64 {
    private static final String ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private CryptBase64() {}

    /**
     * @param digest the final digest
     * @param order  triples of digest indexes {@code {b2, b1, b0}} (-1 for a zero byte); the last triple may be
     *               shorter than 3 bytes' worth and is written with {@code lastChars} characters
     */
    static String encode(byte[] digest, int[][] order, int lastChars) {
        StringBuilder out = new StringBuilder();
        for (int t = 0; t < order.length; t++) {
            int[] triple = order[t];
            int w = (at(digest, triple[0]) << 16) | (at(digest, triple[1]) << 8) | at(digest, triple[2]);
            int chars = t == order.length - 1 ? lastChars : 4;
            for (int i = 0; i < chars; i++) {
                out.append(ALPHABET.charAt(w & 0x3f));
                w >>>= 6;
            }
        }
        return out.toString();
    }

    private static int at(byte[] digest, int index) {
        return index < 0 ? 0 : digest[index] & 0xff;
    }
}
