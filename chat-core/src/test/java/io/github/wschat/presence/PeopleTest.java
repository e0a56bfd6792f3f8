package io.github.wschat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** People of a room: persons with devices, and the snapshots of all devices that fan-out walks. */
class PeopleTest {

    private final People<String, String> people = new People<>();
    private static final Function<String, String> NAMED = key -> "person " + key;
    /** Devices are known by identity, as connections are: the same instances arrive and depart. */
    private static final String[] D = IntStream.range(0, 10_000).mapToObj(i -> "d" + i).toArray(String[]::new);

    @Test
    void aPersonIsPresentFromItsFirstDeviceToItsLast() {
        assertTrue(people.arrive("ann", NAMED, "ann-phone").first());
        assertFalse(people.arrive("ann", NAMED, "ann-laptop").first());
        assertTrue(people.arrive("bob", NAMED, "bob-phone").first());
        assertEquals(List.of("person ann", "person bob"), people.people());
        assertEquals(List.of("ann-phone", "ann-laptop"), people.devicesOf("ann"));
        assertFalse(people.depart("ann", "ann-phone"), "her laptop is still here");
        assertTrue(people.depart("ann", "ann-laptop"));
        assertFalse(people.depart("ann", "ann-laptop"), "gone already");
        assertEquals(List.of("person bob"), people.people());
        assertEquals(List.of("bob-phone"), people.devices());
    }

    @Test
    void aSnapshotNeverChangesWhateverArrivesAndDepartsAfterIt() {
        for (int i = 0; i < 5; i++) {
            people.arrive("p" + i, NAMED, D[i]);
        }
        List<String> before = people.devices();
        List<String> copy = new ArrayList<>(before);
        people.arrive("p5", NAMED, D[5]); // written past the snapshot's end, in the same array
        people.depart("p1", D[1]);
        people.arrive("p6", NAMED, D[6]);
        people.depart("p0", D[0]);
        for (int i = 7; i < 40; i++) { // the array grows, twice and more
            people.arrive("p" + i, NAMED, D[i]);
        }
        assertEquals(copy, before, "the walk that started before is undisturbed");
        assertEquals(5, before.size());
        assertThrows(IndexOutOfBoundsException.class, () -> before.get(5));
        List<String> expected = new ArrayList<>(List.of("d2", "d3", "d4", "d5", "d6"));
        IntStream.range(7, 40).forEach(i -> expected.add("d" + i));
        assertEquals(expected, people.devices(), "everyone present, in the order they arrived");
        assertThrows(UnsupportedOperationException.class, () -> people.devices().add("intruder"));
    }

    @Test
    void tenThousandArrivalsThenTheirDepartures() {
        for (int i = 0; i < 10_000; i++) {
            people.arrive("p" + i, NAMED, D[i]);
        }
        assertEquals(10_000, people.devices().size());
        assertEquals("d9999", people.devices().get(9_999));
        for (int i = 0; i < 10_000; i += 2) {
            assertTrue(people.depart("p" + i, D[i]));
        }
        assertEquals(5_000, people.size());
        List<String> odd = IntStream.range(0, 5_000).mapToObj(i -> D[2 * i + 1]).toList();
        assertTrue(odd.equals(people.devices()), "the odd ones, in order");
    }
}
