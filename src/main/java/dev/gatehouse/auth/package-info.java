/**
 * Identity: Basic credentials from {@code Proxy-Authorization}, verified against an htpasswd file or an
 * LDAP directory, or Kerberos tickets ({@code Negotiate}, {@link dev.gatehouse.auth.KerberosAcceptor}) checked with
 * a keytab, with group membership; verifications are cached so a directory is not asked per request.
 * Uses only {@code config} and {@code http}; no Undertow types.
 *
 * <p>Entry points (the header field is decoded by {@link dev.gatehouse.http.BasicAuthorization#decode}):
 * {@link dev.gatehouse.auth.Authenticators#create} builds back-end ({@code HtpasswdAuthenticator} or
 * {@code LdapAuthenticator}), then the verdict cache ({@code CachingAuthenticator}), then the group file
 * ({@code GroupsFileAuthenticator}); {@link dev.gatehouse.auth.Authenticator#reload()} re-reads the files and keeps
 * the previous data on error, {@link dev.gatehouse.auth.Authenticator#reloadChanged} only what depends on the files
 * that changed; {@link dev.gatehouse.auth.Authenticators#watchedFiles} names what to watch;
 * {@link dev.gatehouse.auth.Authenticator#lookup} gives the groups of a user Kerberos verified.
 */
package dev.gatehouse.auth;
