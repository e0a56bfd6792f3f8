package io.github.wschat.presence;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * The people of one room on one node, each with the devices (connections) it is in the room from.
 * A person is known by a key (an identity's id, or for someone anonymous a key of its one connection)
 * and has a state of the caller's ({@code P}: its nickname, its mute); a person is present from its
 * first device's arrival to its last device's departure.
 *
 * <p>All devices, of every person, are also kept as one list that fan-out walks ({@link #devices()})
 * without a lock and without a copy, and that a device departing during the walk does not disturb: an
 * immutable snapshot, a prefix of an array. An arrival writes past every published prefix and
 * publishes a longer one (amortized constant time: the array doubles when full, so 10,000 devices
 * arriving at once cost 10,000 steps, not 50 million); a departure copies the array without it.
 *
 * <p>Not thread-safe: the owner guards every call but {@link #devices()} (say, under the room's lock).
 *
 * @param <P> a person's state
 * @param <D> a device
 */
public final class People<P, D> {

    private final Map<String, Entry<P, D>> byKey = new HashMap<>();
    private final List<P> order = new ArrayList<>();
    private volatile Snapshot<D> devices = new Snapshot<>(new Object[4], 0);

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
        Snapshot<D> now = devices;
        // Past every published prefix of the array: no reader looks there. Full: a copy twice as long.
        Object[] array = now.size < now.array.length ? now.array : Arrays.copyOf(now.array, now.array.length * 2);
        array[now.size] = device;
        devices = new Snapshot<>(array, now.size + 1);
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
        Snapshot<D> now = devices;
        for (int i = 0; i < now.size; i++) {
            if (now.array[i] == device) {
                // A new array, as long as the old one: the published prefixes are never changed.
                Object[] shrunk = new Object[now.array.length];
                System.arraycopy(now.array, 0, shrunk, 0, i);
                System.arraycopy(now.array, i + 1, shrunk, i, now.size - i - 1);
                devices = new Snapshot<>(shrunk, now.size - 1);
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

    /** The first {@code size} elements of an array, which no one changes once published. */
    private static final class Snapshot<D> extends AbstractList<D> implements RandomAccess {
        private final Object[] array;
        private final int size;

        Snapshot(Object[] array, int size) {
            this.array = array;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public D get(int index) {
            Objects.checkIndex(index, size);
            return (D) array[index];
        }

        @Override
        public int size() {
            return size;
        }
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
