package dev.gatehouse.auth;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import dev.gatehouse.config.GatehouseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens the connection pool the LDAP back-end uses: {@code ldaps://} or StartTLS (RFC 4513 §3) with the
 * configured CA certificates and the server's host name verified, connect and response timeouts, at most
 * {@code poolSize} connections, bound as the service account (or anonymous).
 */
final class LdapConnectionPools {
    private LdapConnectionPools() {}

    /**
     * Opens the pool. A server that is down does not fail this: the pool connects when first used and each
     * verification meanwhile is {@link Verdict.Unavailable}.
     *
     * @throws AuthLoadException for a bad URL, CA file or bind password file
     */
    static LDAPConnectionPool open(GatehouseConfig.Ldap ldap) throws AuthLoadException {
        LDAPURL url;
        try {
            url = new LDAPURL(ldap.url());
        } catch (LDAPException e) {
            throw new AuthLoadException("auth.ldap.url '" + ldap.url() + "': " + e.getMessage(), e);
        }
        boolean ldaps = url.getScheme().equalsIgnoreCase("ldaps");

        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(Math.toIntExact(ldap.connectTimeout().toMillis()));
        options.setResponseTimeoutMillis(ldap.responseTimeout().toMillis());
        options.setAbandonOnTimeout(true);

        // RFC 4513 §3.1.3: the client checks the server's identity against the name it connected to.
        SSLSocketFactory tls = ldaps || ldap.startTls()
                ? new EndpointCheckingSocketFactory(tlsContext(ldap.caFile()).getSocketFactory())
                : null;
        SingleServerSet server = ldaps
                ? new SingleServerSet(url.getHost(), url.getPort(), tls, options)
                : new SingleServerSet(url.getHost(), url.getPort(), options);
        BindRequest serviceBind = ldap.bindDn().isEmpty()
                ? null
                : new SimpleBindRequest(ldap.bindDn(), readFirstLine(Path.of(ldap.bindPasswordFile())));
        try {
            // false: a directory that is down at start-up is not a configuration error; connections are made when needed.
            LDAPConnectionPool pool = new LDAPConnectionPool(server, serviceBind, ldap.poolSize(), ldap.poolSize(),
                    ldap.poolSize(), ldap.startTls() ? new StartTLSPostConnectProcessor(tls) : null, false);
            pool.setConnectionPoolName("gatehouse-auth");
            // Wait for a pooled connection instead of opening more: the pool size is the load the directory sees.
            pool.setCreateIfNecessary(false);
            pool.setMaxWaitTimeMillis(ldap.responseTimeout().toMillis());
            // A connection that died (directory restarted) is replaced and the operation tried once more.
            pool.setRetryFailedOperationsDueToInvalidConnections(EnumSet.of(OperationType.BIND, OperationType.SEARCH));
            return pool;
        } catch (LDAPException e) {
            throw new AuthLoadException("auth.ldap: cannot create the connection pool: " + e.getMessage(), e);
        }
    }

    private static SSLContext tlsContext(String caFile) throws AuthLoadException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, PemCaCertificates.trustManagers(caFile.isEmpty() ? null : Path.of(caFile)), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new AuthLoadException("auth.ldap: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static String readFirstLine(Path file) throws AuthLoadException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.getFirst().isEmpty()) throw new AuthLoadException(file + ":1: the bind password is empty");
            return lines.getFirst();
        } catch (IOException e) {
            throw new AuthLoadException(file + ": cannot read the bind password: " + e, e);
        }
    }
}
