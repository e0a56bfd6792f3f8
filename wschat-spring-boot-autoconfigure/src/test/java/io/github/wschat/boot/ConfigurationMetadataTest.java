package io.github.wschat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata IDEs read: every {@code wschat.*} property is there, described, and with
 * its default, except the few that have none (unset means "not used").
 */
class ConfigurationMetadataTest {

    /** Properties whose absence is their default. */
    private static final Set<String> NO_DEFAULT = Set.of("wschat.address", "wschat.public-url", "wschat.redis.uri",
            "wschat.security.jwt.secret", "wschat.security.jwt.public-key", "wschat.security.jwt.jwks-uri",
            "wschat.security.jwt.issuer", "wschat.security.jwt.audience", "wschat.api.keys", "wschat.api.role",
            "wschat.hooks.join-url", "wschat.hooks.line-filter-url", "wschat.hooks.secret");

    @Test
    void everyPropertyIsDescribedWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            names.add(name);
            assertFalse(property.path("description").asText().isBlank(), name + " has no description");
            assertTrue(NO_DEFAULT.contains(name) || property.has("defaultValue"), name + " has no default");
        }
        assertEquals(51, names.size(), names.toString());
        assertTrue(names.containsAll(List.of("wschat.path", "wschat.transport", "wschat.port", "wschat.allowed-origins",
                "wschat.max-message-bytes", "wschat.redis.uri", "wschat.security.allow-anonymous",
                "wschat.max-connections-per-identity", "wschat.security.jwt.secret", "wschat.security.jwt.jwks-uri",
                "wschat.api.enabled", "wschat.api.path", "wschat.api.keys", "wschat.api.role", "wschat.hooks.join-url",
                "wschat.hooks.line-filter-url", "wschat.hooks.secret", "wschat.hooks.timeout", "wschat.hooks.fail-open",
                // the actuator endpoint, off the web until exposed, its access Boot's to restrict
                "management.endpoint.wschat.access")),
                names.toString());
    }
}
