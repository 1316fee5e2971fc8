package dev.gatehouse.listener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The short-lived allowances a "continue" on a warn page grants, per client address and host.
 *
 * <p>The continue link carries a token {@code expiry.hmac(client|host|expiry)} signed with a key made at
 * start-up, so a link cannot be forged, reused by another client or carried to another host. Accepting
 * a token records the allowance (bounded, expiring cache); a token works once, and restarting the proxy
 * forgets them all.
 */
final class WarnAllowances {
    static final String PARAMETER = "gatehouse-continue";

    private final byte[] key = new byte[32];
    private final Duration lifetime;
    private final Cache<String, Boolean> granted;
    /** Tokens already redeemed: a continue link works once. */
    private final Cache<String, Boolean> redeemed;

    WarnAllowances(Duration lifetime) {
        new SecureRandom().nextBytes(key);
        this.lifetime = lifetime;
        this.granted = Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(100_000).build();
        this.redeemed = Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(100_000).build();
    }

    boolean allowed(String client, String host) {
        return granted.getIfPresent(client + "|" + host) != null;
    }

    String token(String client, String host, long nowMillis) {
        long expiry = nowMillis + lifetime.toMillis();
        return expiry + "." + sign(client, host, expiry);
    }

    /** Grants the allowance if {@code token} is valid for this client and host now. */
    boolean redeem(String client, String host, String token, long nowMillis) {
        int dot = token.indexOf('.');
        if (dot <= 0) return false;
        long expiry;
        try {
            expiry = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (expiry < nowMillis) return false;
        byte[] expected = sign(client, host, expiry).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) return false;
        if (redeemed.asMap().putIfAbsent(token, Boolean.TRUE) != null) return false;
        granted.put(client + "|" + host, Boolean.TRUE);
        return true;
    }

    private String sign(String client, String host, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((client + "|" + host + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
