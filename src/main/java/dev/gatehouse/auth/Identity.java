package dev.gatehouse.auth;

import java.util.Set;

/**
 * Who a request comes from, once verified.
 *
 * @param user   the user name as verified (as the back-end spells it)
 * @param groups the user's groups, nested ones included; empty when none are known
 */
public record Identity(String user, Set<String> groups) {
    public Identity {
        groups = Set.copyOf(groups);
    }
}
