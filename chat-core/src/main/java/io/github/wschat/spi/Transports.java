package io.github.wschat.spi;

import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds transports registered with {@link ServiceLoader}. Stateless; thread-safe.
 */
public final class Transports {

    private Transports() {
    }

    /**
     * All registered transports, in class-path order.
     *
     * @return the transports, possibly empty
     */
    public static List<Transport> available() {
        return ServiceLoader.load(Transport.class, Transports.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * The one registered transport.
     *
     * @return the transport
     * @throws IllegalStateException if none or several are registered; the message names them
     */
    public static Transport only() {
        List<Transport> all = available();
        if (all.size() != 1) {
            throw new IllegalStateException(all.isEmpty()
                    ? "No wschat transport on the class path: add one, e.g. io.github.wschat:chat-transport-javawebsocket"
                    : "Several wschat transports on the class path " + names(all) + ": choose one with ChatServer.builder().transport(name)");
        }
        return all.get(0);
    }

    /**
     * The registered transport with this name.
     *
     * @param name a {@link Transport#name()}
     * @return the transport
     * @throws IllegalArgumentException if no registered transport has that name
     */
    public static Transport named(String name) {
        Objects.requireNonNull(name, "name");
        List<Transport> all = available();
        return all.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "No wschat transport named '" + name + "'; registered: " + names(all)));
    }

    private static List<String> names(List<Transport> transports) {
        return transports.stream().map(Transport::name).collect(Collectors.toUnmodifiableList());
    }
}
