package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.app.RoomHandle;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Roster;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A {@link RoomHandle} on this server's rooms and broker: it holds only the room's name. Thread-safe. */
final class ServerRoomHandle implements RoomHandle {

    private final String name;
    private final Rooms rooms;
    private final Bots bots;

    ServerRoomHandle(String name, Rooms rooms, Bots bots) {
        this.name = name;
        this.rooms = rooms;
        this.bots = bots;
    }

    @Override
    public Connection bot(String nick, String subprotocol, Consumer<Connection> setup) {
        if (bots == null) {
            throw new IllegalStateException("bots join through the server's own handles");
        }
        return bots.join(name, Objects.requireNonNull(nick, "nick"), Objects.requireNonNull(subprotocol, "subprotocol"),
                setup);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ChatMember> members() {
        List<ChatMember> here = rooms.find(name).map(Room::memberViews).orElse(List.of());
        Optional<Roster> roster = rooms.roster();
        if (roster.isEmpty()) {
            return here;
        }
        // Every node's, as the roster has them, with their devices on every node; this node's own with
        // their full identities.
        Map<String, ChatMember> all = new LinkedHashMap<>();
        here.forEach(member -> all.put(member.nick(), member));
        for (Roster.Entry entry : roster.get().entries(name)) {
            ChatMember local = all.get(entry.nick());
            all.put(entry.nick(), new ChatMember(entry.nick(), local != null ? local.identity()
                    : entry.identity().isEmpty() ? Identity.ANONYMOUS
                    : new Identity(entry.identity(), entry.roles(), Map.of()),
                    local != null && local.away() ? 0 : entry.devices())); // away here: the roster counts it on
        }
        return List.copyOf(all.values());
    }

    @Override
    public io.github.wschat.history.HistoryPage history(Optional<io.github.wschat.history.Position> before, int limit) {
        Objects.requireNonNull(before, "before");
        try {
            return rooms.history().before(rooms, name, before, limit).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public List<String> everyone() {
        Optional<Roster> roster = rooms.roster();
        if (roster.isPresent()) {
            return List.copyOf(roster.get().members(name));
        }
        return rooms.find(name).map(Room::nicks).orElse(List.of());
    }

    @Override
    public List<PlacedEvent> history() {
        Optional<Room> here = rooms.find(name);
        if (here.isPresent()) {
            return here.get().history();
        }
        // No member here: what the broker holds (a shared broker keeps the room's stream).
        String epoch = Objects.requireNonNullElse(rooms.broker().epoch(name), "");
        return rooms.broker().recent(name, rooms.historySize()).stream()
                .map(e -> new PlacedEvent(name, epoch, e.sequence(), e.time(), e.event())).toList();
    }

    @Override
    public CompletionStage<Void> post(String text) {
        Objects.requireNonNull(text, "text");
        CompletionStage<Void> last = Broker.placed();
        for (String line : TypedText.lines(text)) {
            last = rooms.broker().publish(name, new RoomEvent.Notice(line));
        }
        return last;
    }

    @Override
    public CompletionStage<io.github.wschat.broker.Placement> postOnce(String text, String key) {
        Objects.requireNonNull(text, "text");
        List<String> lines = TypedText.lines(text);
        if (lines.size() != 1 || text.contains("\n") || text.contains("\r")) {
            throw new IllegalArgumentException("postOnce takes one line of text");
        }
        return rooms.broker().publishOnce(name, new RoomEvent.Notice(lines.get(0)), Broker.requireOnceKey(key));
    }

    @Override
    public CompletionStage<Void> kick(String nick, String reason) {
        return moderate(nick, new RoomEvent.Removed(nick, reason, 0));
    }

    @Override
    public CompletionStage<Void> mute(String nick, Duration duration, String reason) {
        return moderate(nick, new RoomEvent.Muted(nick, positive(duration), reason));
    }

    @Override
    public CompletionStage<Void> unmute(String nick) {
        return moderate(nick, new RoomEvent.Muted(nick, 0, ""));
    }

    /**
     * Bans the member, then removes its identity's other members, in any room on any node (one person
     * may be connected several times): each removal is placed in its own room.
     */
    @Override
    public CompletionStage<Void> ban(String nick, Duration duration, String reason) {
        return ban(nick, duration, reason, false);
    }

    @Override
    public CompletionStage<Void> ban(String nick, Duration duration, String reason, boolean address) {
        long millis = positive(duration);
        String identity;
        try {
            identity = members().stream().filter(m -> m.nick().equals(nick)).findFirst()
                    .map(m -> m.identity().id()).orElse("");
        } catch (BrokerUnavailableException e) {
            return CompletableFuture.failedStage(e);
        }
        CompletionStage<Void> banned = moderate(nick, new RoomEvent.Removed(nick, reason, millis, address));
        if (identity.isEmpty()) {
            return banned; // anonymous: its address is banned; other connections from it are not known as its
        }
        // On the moderation thread: the stage may complete on the broker's own I/O thread, where asking
        // the roster (and waiting for its answer on that same thread) would time out.
        return banned.thenComposeAsync(placed -> {
            CompletionStage<Void> all = Broker.placed();
            for (String room : allRooms()) {
                ServerRoomHandle other = new ServerRoomHandle(room, rooms, bots);
                for (ChatMember member : other.members()) {
                    if (member.identity().id().equals(identity) && !(room.equals(name) && member.nick().equals(nick))) {
                        CompletionStage<Void> removed = rooms.broker().publish(room,
                                new RoomEvent.Removed(member.nick(), reason, millis));
                        all = all.thenCombine(removed, (a, b) -> null);
                    }
                }
            }
            return all;
        }, rooms.moderationExecutor());
    }

    /** The rooms with members here, and with a shared broker on any node. */
    private java.util.Set<String> allRooms() {
        java.util.Set<String> all = new java.util.TreeSet<>(rooms.names());
        rooms.roster().ifPresent(roster -> all.addAll(roster.rooms()));
        return all;
    }

    private static long positive(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive: " + duration);
        }
        return duration.toMillis();
    }

    /** Places a moderation step for a member of the room, on any node; fails if there is none. */
    private CompletionStage<Void> moderate(String nick, RoomEvent step) {
        boolean present;
        try {
            Optional<Roster> roster = rooms.roster();
            present = roster.isPresent() ? roster.get().members(name).contains(nick)
                    : rooms.find(name).map(room -> room.hasMember(nick)).orElse(false);
        } catch (BrokerUnavailableException e) {
            return CompletableFuture.failedStage(e);
        }
        if (!present) {
            return CompletableFuture.failedStage(new NoSuchElementException("no one called " + nick + " in " + name));
        }
        return rooms.broker().publish(name, step);
    }
}
