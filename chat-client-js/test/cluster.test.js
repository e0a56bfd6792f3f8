// Three nodes of the demo on one real redis-server: a node killed under a client mid-stream.
import assert from "node:assert/strict";
import { test } from "node:test";
import { connect } from "../src/wschat.js";
import { WebSocket, record, redisServer, sleep, startDemo, startRedis, until } from "../testing/support.js";

test("a node SIGKILLed mid-stream: the client goes on on another node, every line placed once where acknowledged, shown once in order", async (t) => {
  const binary = redisServer(t);
  if (!binary) return;
  const redis = await startRedis(binary);
  const nodes = [];
  try {
    for (let i = 0; i < 3; i++) nodes.push(await startDemo(["--redis", redis.uri, "--redis-lease", "2"]));
    const options = { WebSocket, room: "nodes", initialBackoff: 50, maxBackoff: 500, resendDelay: 200 };
    const observer = connect(nodes[2].url, { ...options, nick: "watcher" });
    const watched = record(observer);
    await observer.ready;
    // The sender's first node is node 1; then 2, 3, 1, … as connections break.
    const sender = connect(nodes.map((n) => n.url), { ...options, nick: "mover" });
    const seen = record(sender);
    await sender.ready;
    const acks = new Map();
    const sends = [];
    for (let i = 0; i < 300; i++) {
      const text = "n" + i;
      sends.push(sender.say(text).then((ack) => acks.set(text, ack)));
      if (i === 100) await nodes[0].kill();
      await sleep(10);
    }
    await Promise.all(sends);
    await until(() => watched.messages.filter((m) => m.from === "mover").length >= 300, "the observer to see 300 lines", 60000);
    await sleep(300);
    const lines = watched.messages.filter((m) => m.from === "mover");
    assert.deepEqual(lines.map((m) => m.text), Array.from({ length: 300 }, (_, i) => "n" + i), "each once, in the order sent");
    for (const m of lines) {
      const ack = acks.get(m.text);
      assert.deepEqual([m.epoch, m.seq], [ack.epoch, ack.seq], m.text + " placed where acknowledged");
    }
    const last = lines[lines.length - 1];
    await until(() => seen.messages.some((m) => m.seq === last.seq), "the sender to show its last line", 60000);
    assert.deepEqual(seen.messages.filter((m) => m.from === "mover").map((m) => m.text), lines.map((m) => m.text));
    assert.ok(seen.welcomes.length > 1, "the sender moved to another node");
    assert.deepEqual(seen.missed, []);
    await Promise.all([observer.close(), sender.close()]);
  } finally {
    for (const node of nodes) await node.stop();
    await redis.stop();
  }
});
