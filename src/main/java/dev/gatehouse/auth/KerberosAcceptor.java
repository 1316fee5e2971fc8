package dev.gatehouse.auth;

import dev.gatehouse.config.GatehouseConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Accepts Kerberos service tickets sent with {@code Negotiate} (RFC 4559), as SPNEGO (RFC 4178) or raw Kerberos
 * (RFC 4121), with the JDK's GSS-API and keys from a keytab. No JAAS login file and no system property: the keytab
 * goes into a {@link Subject} of its own, under which the acceptor credential is made once. Only one leg is
 * supported (the client's AP-REQ in one token); NTLM is refused. The JDK checks the ticket's authenticator against
 * its replay cache (in memory, per process), so a token seen before is refused. Thread-safe; CPU-bound, no I/O after
 * the start but reading the keytab.
 */
public final class KerberosAcceptor {
    private static final Oid KERBEROS = oid("1.2.840.113554.1.2.2");
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

    /** What one token came to. */
    public sealed interface Outcome {
        /**
         * The ticket is good.
         *
         * @param user       the client principal, without its realm when {@code stripRealm}
         * @param replyToken the token for the client (mutual authentication, RFC 4559 §5), or null for none
         */
        record Accepted(String user, byte[] replyToken) implements Outcome {}

        /** Not a ticket this proxy can accept; {@code reason} is for the log, never the client. */
        record Refused(String reason, boolean ntlm) implements Outcome {}
    }

    private final GSSManager manager = GSSManager.getInstance();
    private final GSSCredential credential;
    private final boolean stripRealm;
    private final String description;

    private KerberosAcceptor(GSSCredential credential, boolean stripRealm, String description) {
        this.credential = credential;
        this.stripRealm = stripRealm;
        this.description = description;
    }

    /**
     * Reads the keytab and makes the acceptor credential.
     *
     * @throws AuthLoadException naming the keytab when it is missing, unreadable, not a keytab, or holds no key for
     *                           the principal (no key at all when none is configured)
     */
    public static KerberosAcceptor open(GatehouseConfig.Negotiate negotiate) throws AuthLoadException {
        Path file = Path.of(negotiate.keytab());
        Set<String> principals = KeytabFile.principals(file);
        String principal = negotiate.principal();
        if (principals.isEmpty()) throw new AuthLoadException(file + ": the keytab holds no keys");
        if (!principal.isEmpty() && !principals.contains(principal)) {
            throw new AuthLoadException(file + ": the keytab holds no key for " + principal + " (it has keys for "
                    + String.join(", ", principals) + ")");
        }
        Subject subject = new Subject();
        GSSName name = null;
        try {
            if (principal.isEmpty()) {
                subject.getPrivateCredentials().add(KeyTab.getUnboundInstance(file.toFile()));
            } else {
                KerberosPrincipal service = new KerberosPrincipal(principal);
                subject.getPrincipals().add(service);
                subject.getPrivateCredentials().add(KeyTab.getInstance(service, file.toFile()));
                name = GSSManager.getInstance().createName(principal, GSSName.NT_USER_NAME);
            }
            GSSName acceptorName = name;
            GSSCredential credential = Subject.callAs(subject, () -> GSSManager.getInstance().createCredential(acceptorName,
                    GSSCredential.INDEFINITE_LIFETIME, new Oid[] {KERBEROS, SPNEGO}, GSSCredential.ACCEPT_ONLY));
            return new KerberosAcceptor(credential, negotiate.stripRealm(),
                    "Kerberos keytab " + file + " for " + (principal.isEmpty() ? String.join(", ", principals) : principal));
        } catch (GSSException | CompletionException | IllegalArgumentException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new AuthLoadException(file + ": cannot accept Kerberos tickets with this keytab: " + cause.getMessage(), cause);
        }
    }

    /** Checks one client token. Never throws for a bad token. */
    public Outcome accept(byte[] token) {
        if (NegotiateTokens.isNtlm(token)) {
            return new Outcome.Refused("an NTLM token: NTLM is not supported, only Kerberos (is the client outside the"
                    + " domain, or does it address the proxy by a name without an SPN?)", true);
        }
        GSSContext context = null;
        try {
            context = manager.createContext(credential);
            byte[] reply = context.acceptSecContext(token, 0, token.length);
            if (!context.isEstablished()) {
                return new Outcome.Refused("the client wants another round trip (mechanism " + context.getMech()
                        + "); only single-leg Kerberos is supported", false);
            }
            return new Outcome.Accepted(userOf(context.getSrcName().toString()), reply == null || reply.length == 0 ? null : reply);
        } catch (GSSException | RuntimeException e) {
            // A garbage token, a replay, a ticket for another service, clock skew: all the client's problem.
            return new Outcome.Refused(e.getMessage(), false);
        } finally {
            dispose(context);
        }
    }

    private String userOf(String principal) {
        int at = principal.lastIndexOf('@');
        return stripRealm && at > 0 ? principal.substring(0, at) : principal;
    }

    private static void dispose(GSSContext context) {
        if (context == null) return;
        try {
            context.dispose();
        } catch (GSSException e) {
            // nothing held that outlives the context
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new IllegalStateException(dotted + " is a well-formed OID", e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
