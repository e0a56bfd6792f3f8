package io.github.wschat.server;

import io.github.wschat.Registration;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.RoomEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The members of one room on this node. The room's order is the broker's; the room turns each event
 * into one frame and queues that frame on every member, in that order. Thread-safe: joins and leaves
 * take a lock that fan-out holds while frames are queued (queueing never blocks), never while
 * publishing, so a joiner sees every event after its join and none before.
 */
final class Room {

    private final String name;
    private final Broker broker;
    private final ReentrantLock lock = new ReentrantLock();
    // Copy-on-write: fan-out iterates a snapshot, so a member dropped during fan-out (its close runs
    // on the fan-out thread) cannot disturb the iteration.
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Registration subscription;

    Room(String name, Broker broker) {
        this.name = name;
        this.broker = broker;
        this.subscription = broker.subscribe(name, this::deliver);
    }

    String name() {
        return name;
    }

    void add(Member member) {
        lock.lock();
        try {
            members.add(member);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the member; returns true if the room is now empty. */
    boolean remove(Member member) {
        lock.lock();
        try {
            members.remove(member);
            return members.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    void say(Member from, String typed) {
        for (String line : PlainText.lines(typed)) {
            broker.publish(name, new RoomEvent.Message(from.nick(), line));
        }
    }

    void announceLeave(Member leaver) {
        broker.publish(name, new RoomEvent.Left(leaver.nick()));
    }

    void close() {
        subscription.remove();
    }

    private void deliver(long sequence, RoomEvent event) {
        String frame = PlainText.format(event);
        lock.lock();
        try {
            for (Member member : members) {
                member.connection().send(frame);
            }
        } finally {
            lock.unlock();
        }
    }
}
