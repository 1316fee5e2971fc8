package dev.gatehouse.policy;

import dev.gatehouse.policy.normalize.Ipv6Literal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The "continue" of a {@link Action#WARN} page: a signed, short-lived, single-use token for one
 * client and host, which once redeemed lets that client reach that host for a while (Zscaler's
 * Caution, Umbrella's warn). Pure and thread-safe; time is passed in, never read.
 *
 * <p>Token: {@code base64url(client|host|expiresEpochSecond|nonce) "." base64url(HMAC-SHA256)},
 * under a key that lives in memory only, so a restart invalidates every token and allowance.
 */
public final class WarnAllowances {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] key;
    private final Duration allowance;
    private final Map<String, Instant> redeemedNonces = new ConcurrentHashMap<>();
    private final Map<String, Instant> allowed = new ConcurrentHashMap<>();

    /**
     * @param allowance how long a redeemed token lets the client reach the host
     */
    public WarnAllowances(Duration allowance) {
        this(randomKey(), allowance);
    }

    WarnAllowances(byte[] key, Duration allowance) {
        this.key = key.clone();
        this.allowance = allowance;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * @param client the warned client
     * @param host the normalised host it was warned about
     * @param expires until when the "continue" link works (a few minutes)
     * @return the token to put in the warn page's "continue" link
     */
    public String issue(InetAddress client, String host, Instant expires) {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        String payload = Ipv6Literal.canonical(client) + "|" + host + "|" + expires.getEpochSecond() + "|"
                + ENCODER.encodeToString(nonce);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /**
     * Redeems a token: checks its signature, client, expiry and that it was not used before, then
     * allows the client to reach the host for the allowance duration.
     *
     * @return the host now allowed, or empty if the token is not valid for this client now
     */
    public Optional<String> redeem(String token, InetAddress client, Instant now) {
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) { // constant time
            return Optional.empty();
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
        if (fields.length != 4 || !fields[0].equals(Ipv6Literal.canonical(client))) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(Long.parseLong(fields[2]));
        if (!now.isBefore(expires)) {
            return Optional.empty();
        }
        forgetExpired(now);
        if (redeemedNonces.putIfAbsent(fields[3], expires) != null) {
            return Optional.empty(); // single use: a copied link does not work twice
        }
        allowed.put(fields[0] + "|" + fields[1], now.plus(allowance));
        return Optional.of(fields[1]);
    }

    /** @return true if the client redeemed a token for this host and the allowance still runs */
    public boolean allows(InetAddress client, String host, Instant now) {
        Instant until = allowed.get(Ipv6Literal.canonical(client) + "|" + host);
        return until != null && now.isBefore(until);
    }

    private void forgetExpired(Instant now) {
        redeemedNonces.values().removeIf(expires -> !now.isBefore(expires));
        allowed.values().removeIf(until -> !now.isBefore(until));
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
