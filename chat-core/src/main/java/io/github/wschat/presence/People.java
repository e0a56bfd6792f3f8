package io.github.wschat.presence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The people of one room on one node, each with the devices (connections) it is in the room from.
 * A person is known by a key (an identity's id, or for someone anonymous a key of its one connection)
 * and has a state of the caller's ({@code P}: its nickname, its mute); a person is present from its
 * first device's arrival to its last device's departure.
 *
 * <p>All devices, of every person, are also kept as one array, rebuilt on each change and never
 * changed in place: fan-out walks {@link #devices()} without a lock and without a copy, and a device
 * that departs during the walk does not disturb it.
 *
 * <p>Not thread-safe: the owner guards every call but {@link #devices()} (say, under the room's lock).
 *
 * @param <P> a person's state
 * @param <D> a device
 */
public final class People<P, D> {

    private final Map<String, Entry<P, D>> byKey = new HashMap<>();
    private final List<P> order = new ArrayList<>();
    private Object[] all = new Object[0];
    private volatile List<D> devices = List.of();

    /**
     * A device arrives. If its person is not present, the person is made with {@code newPerson} and
     * arrives with it.
     *
     * @param key the person's key
     * @param newPerson makes the person's state, for a first device
     * @param device the device
     * @return the person, and whether this device made it present
     */
    public Arrival<P> arrive(String key, Function<String, P> newPerson, D device) {
        Objects.requireNonNull(device, "device");
        Entry<P, D> entry = byKey.get(Objects.requireNonNull(key, "key"));
        boolean first = entry == null;
        if (first) {
            entry = new Entry<>(Objects.requireNonNull(newPerson.apply(key), "person"));
            byKey.put(key, entry);
            order.add(entry.person);
        }
        entry.devices.add(device);
        Object[] grown = Arrays.copyOf(all, all.length + 1);
        grown[grown.length - 1] = device;
        publish(grown);
        return new Arrival<>(entry.person, first);
    }

    /**
     * A device departs.
     *
     * @param key the person's key
     * @param device the device
     * @return whether it was the person's last device here: the person is no longer present; false
     *     also where the device was not present
     */
    public boolean depart(String key, D device) {
        Entry<P, D> entry = byKey.get(key);
        if (entry == null || !entry.devices.remove(device)) {
            return false;
        }
        Object[] now = all;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == device) {
                Object[] shrunk = new Object[now.length - 1];
                System.arraycopy(now, 0, shrunk, 0, i);
                System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
                publish(shrunk);
                break;
            }
        }
        if (entry.devices.isEmpty()) {
            byKey.remove(key);
            order.remove(entry.person);
            return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private void publish(Object[] array) {
        all = array;
        devices = Collections.unmodifiableList((List<D>) Arrays.asList(array));
    }

    /**
     * @param key a person's key
     * @return the person, if present
     */
    public Optional<P> person(String key) {
        return Optional.ofNullable(byKey.get(key)).map(e -> e.person);
    }

    /**
     * @param key a person's key
     * @return its devices here, in the order they arrived; empty if it is not present
     */
    public List<D> devicesOf(String key) {
        Entry<P, D> entry = byKey.get(key);
        return entry == null ? List.of() : List.copyOf(entry.devices);
    }

    /**
     * @return the people present, in the order they arrived: a view, read under the owner's guard
     */
    public List<P> people() {
        return Collections.unmodifiableList(order);
    }

    /**
     * @return how many people are present
     */
    public int size() {
        return byKey.size();
    }

    /**
     * @return whether no one is present
     */
    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    /**
     * Every device of every person; safe to read without the owner's guard. A snapshot that never
     * changes: later arrivals and departures make a new one.
     *
     * @return the devices, in the order they arrived
     */
    public List<D> devices() {
        return devices;
    }

    /**
     * A device's arrival.
     *
     * @param person the person it belongs to
     * @param first whether it made the person present (a join)
     * @param <P> the person's state
     */
    public record Arrival<P>(P person, boolean first) {
        /**
         * @param person the person
         * @param first whether it is the person's first device
         */
        public Arrival {
            Objects.requireNonNull(person, "person");
        }
    }

    private static final class Entry<P, D> {
        final P person;
        final List<D> devices = new ArrayList<>(1);

        Entry(P person) {
            this.person = person;
        }
    }
}
