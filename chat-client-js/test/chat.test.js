// The package against a real wschat: the demo jar on free ports.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ChatError, connect } from "../src/wschat.js";
import { WebSocket, freePort, record, sleep, startCuttingProxy, startDemo, until } from "../testing/support.js";

const OPERATOR = "op-secret";
let demo;

before(async () => {
  demo = await startDemo(["--operator-token", OPERATOR]);
});

after(async () => {
  await demo?.stop();
});

/** A client of `room` on the demo (or `base`), quick to reconnect. */
function client(room, nick, options = {}, base = demo.url) {
  return connect(base, { WebSocket, room, nick, initialBackoff: 50, maxBackoff: 500, resendDelay: 200, ...options });
}

test("a line is placed, acknowledged with its place, and shown once to everyone", async () => {
  const ann = client("basics", "ann");
  const bob = client("basics", "bob");
  const seenByBob = record(bob);
  const welcome = await ann.ready;
  assert.equal(welcome.nick, "ann");
  assert.equal(welcome.room, "basics");
  await bob.ready;
  await until(() => ann.members.includes("bob"), "ann's members to list bob");
  const ack = await ann.say("hello");
  assert.equal(ack.shown, true);
  assert.equal(typeof ack.epoch, "string");
  assert.ok(ack.seq > 0);
  await until(() => seenByBob.messages.some((m) => m.text === "hello"), "bob to get the line");
  const got = seenByBob.messages.find((m) => m.text === "hello");
  assert.deepEqual([got.from, got.epoch, got.seq], ["ann", ack.epoch, ack.seq]);
  assert.deepEqual((await bob.who()).sort(), ["ann", "bob"]);
  const action = await bob.me("waves");
  assert.ok(action.seq > ack.seq);
  await ann.close();
  await until(() => bob.members.length === 1, "ann's leave to reach bob's members");
  assert.deepEqual(bob.members, ["bob"]);
  await bob.close();
});

test("a refused line rejects with the server's code and reaches no one", async () => {
  const ann = client("refusals", "ann2");
  await ann.ready;
  await assert.rejects(ann.msg("nobody", "psst"), (e) => e instanceof ChatError && e.code === "no_such_member");
  await assert.rejects(ann.rename("no spaces allowed"), (e) => e instanceof ChatError && e.code === "invalid_nickname");
  const op = client("refusals", "op", {}, demo.url + "?token=" + OPERATOR);
  const opWelcome = await op.ready;
  assert.deepEqual(opWelcome.roles, ["operator"]);
  await op.mute("ann2", "10m", "quiet");
  await assert.rejects(ann.say("may I?"), (e) => e instanceof ChatError && e.code === "muted");
  await assert.rejects(ann.kick("op"), (e) => e instanceof ChatError && e.code === "not_allowed");
  await op.unmute("ann2");
  const ack = await ann.say("thank you");
  assert.equal(ack.shown, true);
  assert.equal(ann.pending, 0);
  await ann.close();
  await op.close();
});

test("an operator's kick ends the member's client for good, and its waiting lines fail", async () => {
  const op = client("kicks", "op2", {}, demo.url + "?token=" + OPERATOR);
  const eve = client("kicks", "eve");
  const seenByEve = record(eve);
  const seenByOp = record(op);
  await op.ready;
  await eve.ready;
  await op.kick("eve", "spamming");
  await until(() => seenByEve.disconnected.length > 0, "eve's client to end");
  assert.deepEqual(seenByEve.disconnected[0], { code: 4001, reason: "removed: spamming", reconnecting: false, delay: 0 });
  await assert.rejects(eve.say("again"), (e) => e.code === "closed");
  await until(() => seenByOp.events.some((e) => e.type === "leave" && e.nick === "eve"), "eve's leave");
  const removed = seenByOp.events.find((e) => e.type === "removed");
  assert.deepEqual([removed.nick, removed.reason], ["eve", "spamming"]);
  assert.deepEqual(op.members, ["op2"]);
  await sleep(300);
  assert.equal(seenByEve.welcomes.length, 1, "eve did not come back");
  await op.close();
});

test("the outbox is bounded: a line past it is refused at once", async () => {
  const port = await freePort(); // nothing listens: the client keeps trying
  const lost = connect("ws://127.0.0.1:" + port + "/chat", { WebSocket, room: "none", maxPending: 2, initialBackoff: 50 });
  const first = lost.say("one");
  const second = lost.say("two");
  await assert.rejects(lost.say("three"), (e) => e.code === "outbox_full");
  assert.equal(lost.pending, 2);
  await lost.close();
  await assert.rejects(first, (e) => e.code === "closed");
  await assert.rejects(second, (e) => e.code === "closed");
});

test("through a proxy that cuts every 0.3-0.8 s: 5 clients x 200 lines, each placed once where acknowledged, each shown once in the room's order", async () => {
  const proxy = await startCuttingProxy(demo.port, { latency: 5, cutMin: 300, cutMax: 800 });
  const observer = client("cuts", "watcher");
  const watched = record(observer);
  await observer.ready;
  const senders = [];
  const seen = [];
  for (let c = 0; c < 5; c++) {
    const chat = client("cuts", "cut" + c, {}, "ws://127.0.0.1:" + proxy.port + "/chat");
    senders.push(chat);
    seen.push(record(chat));
  }
  const acks = new Map();
  const sends = [];
  for (let i = 0; i < 200; i++) {
    senders.forEach((chat, c) => {
      const text = "c" + c + "-" + i;
      sends.push(chat.say(text).then((ack) => acks.set(text, ack)));
    });
    await sleep(10);
  }
  await Promise.all(sends);
  const cuts = proxy.cuts;
  await proxy.close();
  assert.ok(cuts >= 3, "the proxy cut connections: " + cuts);
  await until(() => watched.messages.filter((m) => m.text.startsWith("c")).length >= 1000, "the observer to see 1,000 lines", 60000);
  await sleep(300); // a line placed twice would come by now
  const lines = watched.messages.filter((m) => m.text.startsWith("c"));
  assert.equal(lines.length, 1000, "every line once");
  assert.equal(new Set(lines.map((m) => m.text)).size, 1000);
  for (const m of lines) {
    const ack = acks.get(m.text);
    assert.deepEqual([m.epoch, m.seq], [ack.epoch, ack.seq], m.text + " placed where acknowledged");
  }
  for (let c = 0; c < 5; c++) {
    const mine = lines.filter((m) => m.text.startsWith("c" + c + "-")).map((m) => m.text);
    assert.deepEqual(mine, Array.from({ length: 200 }, (_, i) => "c" + c + "-" + i), "c" + c + "'s lines in the order sent");
  }
  // Every sender shows the room's lines once each, in the room's order: the observer's.
  const last = lines[lines.length - 1];
  for (let c = 0; c < 5; c++) {
    await until(() => seen[c].messages.some((m) => m.seq === last.seq), "cut" + c + " to show the last line", 60000);
    const shown = seen[c].messages.filter((m) => m.text.startsWith("c"));
    assert.deepEqual(shown.map((m) => m.epoch + ":" + m.seq), lines.map((m) => m.epoch + ":" + m.seq), "cut" + c + " shows each once, in order");
    assert.deepEqual(seen[c].missed, [], "cut" + c + " missed nothing");
    assert.ok(seen[c].welcomes.length > 1, "cut" + c + " reconnected");
  }
  await Promise.all([observer, ...senders].map((chat) => chat.close()));
});

test("a new epoch: the server restarts; the gap is told, and lines sent meanwhile are placed once in the new epoch", async () => {
  const port = await freePort();
  let server = await startDemo([], port);
  try {
    const ann = client("restart", "ann3", {}, server.url);
    const seen = record(ann);
    await ann.ready;
    const first = await ann.say("before");
    await server.kill();
    const during = [ann.say("while down 1"), ann.say("while down 2")];
    await until(() => seen.disconnected.length > 0, "the cut");
    server = await startDemo([], port);
    const acks = await Promise.all(during);
    assert.equal(seen.missed.length, 1);
    assert.equal(seen.missed[0].newEpoch, true);
    assert.equal(seen.missed[0].epoch, first.epoch);
    assert.notEqual(acks[0].epoch, first.epoch);
    assert.deepEqual(acks.map((a) => a.shown), [true, true]);
    const texts = seen.messages.map((m) => m.text);
    assert.deepEqual(texts, ["before", "while down 1", "while down 2"]);
    await ann.close();
  } finally {
    await server.stop();
  }
});
