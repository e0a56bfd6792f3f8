package io.github.wschat.boot;

import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * The Redis URI of Boot's own connection details, for the broker where {@code wschat.redis.uri} is
 * not set: a single Redis ({@code redis://}, {@code rediss://} where Boot's connection uses SSL) or a
 * Sentinel group ({@code redis-sentinel://...#master}), with the user, password and database. The
 * details' interface is {@code DataRedisConnectionDetails} in Boot 4 and {@code RedisConnectionDetails}
 * in Boot 3, with the same methods: read by name, so that one jar serves both. A Redis Cluster is
 * refused at start, naming {@code wschat.redis.uri}: the broker needs one Redis or a Sentinel group.
 */
final class BootRedis {

    static final String BOOT4 = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";
    static final String BOOT3 = "org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails";

    private BootRedis() {
    }

    static String uri(ListableBeanFactory beans) {
        ClassLoader loader = BootRedis.class.getClassLoader();
        for (String type : List.of(BOOT4, BOOT3)) {
            if (ClassUtils.isPresent(type, loader)) {
                Object[] found = beans.getBeanProvider(ClassUtils.resolveClassName(type, loader)).stream().toArray();
                if (found.length == 1) {
                    return uriOf(found[0]);
                }
            }
        }
        throw new InvalidConfigurationPropertyValueException("wschat.redis.uri", null, "spring.data.redis.* is set but "
                + "Boot made no Redis connection details (is spring-boot-starter-data-redis there?): set wschat.redis.uri");
    }

    /** The URI of one connection details object, by its methods' names. */
    static String uriOf(Object details) {
        if (call(details, "getCluster") != null) {
            throw new InvalidConfigurationPropertyValueException("wschat.redis.uri", null, "Boot's Redis connection "
                    + "is a Redis Cluster, which the chat's broker does not use yet: set wschat.redis.uri to one Redis "
                    + "or a Sentinel group");
        }
        String user = (String) call(details, "getUsername");
        String password = (String) call(details, "getPassword");
        Object sentinel = call(details, "getSentinel");
        if (sentinel != null) {
            List<?> nodes = (List<?>) call(sentinel, "getNodes");
            String hosts = nodes.stream().map(node -> call(node, "host") + ":" + call(node, "port"))
                    .collect(Collectors.joining(","));
            return "redis-sentinel://" + credentials(user, password) + hosts + "/" + call(sentinel, "getDatabase")
                    + "#" + call(sentinel, "getMaster");
        }
        Object standalone = call(details, "getStandalone");
        boolean ssl = hasMethod(details, "getSslBundle") && call(details, "getSslBundle") != null
                || hasMethod(standalone, "getSslBundle") && call(standalone, "getSslBundle") != null;
        return (ssl ? "rediss://" : "redis://") + credentials(user, password) + call(standalone, "getHost") + ":"
                + call(standalone, "getPort") + "/" + call(standalone, "getDatabase");
    }

    private static String credentials(String user, String password) {
        if (password == null) {
            return "";
        }
        String secret = URLEncoder.encode(password, StandardCharsets.UTF_8);
        return (user == null ? "" : URLEncoder.encode(user, StandardCharsets.UTF_8) + ":") + secret + "@";
    }

    private static boolean hasMethod(Object target, String name) {
        return target != null && ClassUtils.hasMethod(target.getClass(), name);
    }

    private static Object call(Object target, String name) {
        try {
            Method method = target.getClass().getMethod(name);
            method.setAccessible(true);
            return method.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Boot's Redis connection details have no " + name + "(): " + e, e);
        }
    }
}
