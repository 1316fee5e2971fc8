/**
 * Identity: Basic credentials from {@code Proxy-Authorization}, verified against an htpasswd file or an
 * LDAP directory, with group membership; verifications are cached so a directory is not asked per request.
 * Uses only {@code config} and {@code http}; no Undertow types.
 */
package dev.gatehouse.auth;
