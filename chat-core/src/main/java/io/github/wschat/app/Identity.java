package io.github.wschat.app;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a member is, as the authenticator established it: a stable user id (beside the nickname, which
 * may change), roles such as {@code operator}, and attributes. Bans and mutes apply to the identity;
 * an {@linkplain #ANONYMOUS anonymous} member (no authenticator, or one that gave no identity) is
 * known by its nickname and address only. Immutable.
 *
 * @param id the application's user id; empty for an anonymous member
 * @param roles the member's roles, e.g. {@code operator}
 * @param attributes further facts the hooks may read, e.g. {@code plan=pro}
 */
public record Identity(String id, Set<String> roles, Map<String, String> attributes) {

    /** A member the authenticator did not identify. */
    public static final Identity ANONYMOUS = new Identity("", Set.of(), Map.of());

    /**
     * Copies the parts.
     *
     * @param id the application's user id; empty for an anonymous member
     * @param roles the member's roles
     * @param attributes further facts
     * @throws NullPointerException if a part, a role, or an attribute's name or value is null
     */
    public Identity {
        Objects.requireNonNull(id, "id");
        roles = Set.copyOf(roles);
        attributes = Map.copyOf(attributes);
    }

    /**
     * An identified user with roles.
     *
     * @param id the user id, not empty
     * @param roles the roles
     * @return the identity
     * @throws IllegalArgumentException if the id is empty
     */
    public static Identity of(String id, String... roles) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("an identity's id is not empty; use ANONYMOUS");
        }
        return new Identity(id, Set.of(roles), Map.of());
    }

    /**
     * @return whether this is no one in particular: the authenticator gave no user id
     */
    public boolean isAnonymous() {
        return id.isEmpty();
    }

    /**
     * @param role a role, e.g. {@code operator}
     * @return whether the member has it
     */
    public boolean hasRole(String role) {
        return roles.contains(Objects.requireNonNull(role, "role"));
    }

    /**
     * @param name an attribute's name
     * @return its value, if the identity has it
     */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(Objects.requireNonNull(name, "name")));
    }
}
