// The protocol's corner cases, each played by a scripted server (a real WebSocket server on
// 127.0.0.1 that answers as wschat does in that case): what the page learned, kept in the package.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocketServer } from "ws";
import { connect } from "../src/wschat.js";
import { WebSocket, record, until } from "../testing/support.js";

/**
 * A server whose n-th connection (0, 1, …) is handed to `script(socket, n, url, frames)`; `frames` is
 * an async iterator of the client's commands, parsed.
 */
async function scripted(script) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: () => "wschat.v1.json" });
  await new Promise((resolve) => server.once("listening", resolve));
  let n = 0;
  const urls = [];
  server.on("connection", (socket, request) => {
    urls.push(request.url);
    const queue = [];
    const waiting = [];
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data));
      if (waiting.length) waiting.shift()(frame);
      else queue.push(frame);
    });
    const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
    const send = (frame) => socket.send(JSON.stringify(frame));
    script({ send, next, close: (code, reason) => socket.close(code, reason), cut: () => socket.terminate() }, n++);
  });
  return {
    url: "ws://127.0.0.1:" + server.address().port + "/chat/r",
    urls,
    close: () => new Promise((resolve) => { for (const c of server.clients) c.terminate(); server.close(resolve); }),
  };
}

const welcome = (epoch, history = [], extra = {}) =>
  ({ type: "welcome", nick: "ann", room: "r", epoch, members: ["ann"], history, ...extra });
const message = (epoch, seq, text, from = "ann") => ({ type: "message", epoch, seq, time: 1000 + seq, from, text });
const options = { WebSocket, initialBackoff: 20, maxBackoff: 100 };

test("an ack that overtakes its line settles the send when the line is shown, not before", async () => {
  const server = await scripted(async (s) => {
    s.send(welcome("E1"));
    const say = await s.next();
    s.send({ type: "ack", id: say.id, epoch: "E1", seq: 1 }); // the ack first (a shared broker may do this)
    setTimeout(() => s.send(message("E1", 1, say.text)), 50);
  });
  const chat = connect(server.url, options);
  const order = [];
  chat.on("message", (m) => order.push("shown " + m.text));
  const ack = await chat.say("hi").then((a) => { order.push("acked"); return a; });
  assert.deepEqual(order, ["shown hi", "acked"]);
  assert.deepEqual(ack, { id: ack.id, epoch: "E1", seq: 1, shown: true });
  await chat.close();
  await server.close();
});

test("a line acknowledged in an epoch the client has left settles as not shown", async () => {
  const server = await scripted(async (s, n) => {
    if (n === 0) {
      s.send(welcome("E1", [message("E1", 1, "first")]));
      await s.next(); // the say: placed at E1:2 before the cut, never delivered here
      s.cut();
    } else {
      s.send(welcome("E2", [], { missed: true }));
      const again = await s.next();
      s.send({ type: "ack", id: again.id, epoch: "E1", seq: 2 }); // the first placement's answer
    }
  });
  const chat = connect(server.url, options);
  const seen = record(chat);
  const ack = await chat.say("lost in E1");
  assert.deepEqual([ack.epoch, ack.seq, ack.shown], ["E1", 2, false]);
  assert.deepEqual(seen.missed, [{ epoch: "E1", seq: 1, now: "E2", newEpoch: true }]);
  assert.match(server.urls[1], /since=E1%3A1|since=E1:1/);
  assert.deepEqual(seen.messages.map((m) => m.text), ["first"]);
  await chat.close();
  await server.close();
});

test("a private line placed before a reconnect (in no history) settles as not shown; the resume brings what was missed once", async () => {
  const server = await scripted(async (s, n) => {
    if (n === 0) {
      s.send(welcome("E1", [message("E1", 1, "one")]));
      await s.next(); // a msg, placed at E1:2 (private: no history has it)
      s.cut();
    } else {
      // Resumed after E1:1: the history holds the public events since, not the private line.
      s.send(welcome("E1", [message("E1", 3, "three", "bob")], { missed: false }));
      const again = await s.next();
      s.send({ type: "ack", id: again.id, epoch: "E1", seq: 2 });
      s.send(message("E1", 3, "three", "bob")); // a replay: shown already
      s.send(message("E1", 4, "four", "bob"));
    }
  });
  const chat = connect(server.url, options);
  const seen = record(chat);
  const ack = await chat.msg("bob", "psst");
  assert.deepEqual([ack.seq, ack.shown], [2, false]);
  await until(() => seen.messages.length === 3, "four");
  assert.deepEqual(seen.messages.map((m) => m.text), ["one", "three", "four"]);
  assert.deepEqual(seen.missed, []);
  await chat.close();
  await server.close();
});

test("a line the room could not take (unavailable) goes again with the same id, and is placed once", async () => {
  const ids = [];
  const server = await scripted(async (s) => {
    s.send(welcome("E1"));
    const first = await s.next();
    ids.push(first.id);
    s.send({ type: "error", id: first.id, code: "unavailable", text: "the room did not confirm that line" });
    const again = await s.next();
    ids.push(again.id);
    s.send(message("E1", 1, again.text));
    s.send({ type: "ack", id: again.id, epoch: "E1", seq: 1 });
  });
  const chat = connect(server.url, { ...options, resendDelay: 20 });
  const ack = await chat.say("retry me");
  assert.equal(ids[0], ids[1]);
  assert.deepEqual([ack.seq, ack.shown], [1, true]);
  await chat.close();
  await server.close();
});

test("lines sent before the welcome wait, and go once welcomed, in order; a rename follows the member", async () => {
  const got = [];
  const server = await scripted(async (s) => {
    s.send(welcome("E1"));
    for (let i = 0; i < 3; i++) {
      const say = await s.next();
      got.push(say.text);
      s.send(message("E1", i + 1, say.text));
      s.send({ type: "ack", id: say.id, epoch: "E1", seq: i + 1 });
    }
    s.send({ type: "rename", epoch: "E1", seq: 4, time: 2000, from: "ann", to: "anna" });
  });
  const chat = connect(server.url, options);
  const acks = await Promise.all([chat.say("a"), chat.say("b"), chat.say("c")]);
  assert.deepEqual(got, ["a", "b", "c"]);
  assert.deepEqual(acks.map((a) => a.seq), [1, 2, 3]);
  await until(() => chat.nick === "anna", "the rename");
  assert.deepEqual(chat.members, ["anna"]);
  await chat.close();
  await server.close();
});

test("a ticket function is asked for a fresh ticket for each connection", async () => {
  let issued = 0;
  const server = await scripted(async (s, n) => {
    s.send(welcome("E1"));
    if (n === 0) {
      await s.next();
      s.cut();
    } else {
      const again = await s.next();
      s.send(message("E1", 1, again.text));
      s.send({ type: "ack", id: again.id, epoch: "E1", seq: 1 });
    }
  });
  const chat = connect(server.url, { ...options, ticket: async () => "t" + ++issued });
  const ack = await chat.say("with tickets");
  assert.equal(ack.seq, 1);
  assert.match(server.urls[0], /[?&]ticket=t1(&|$)/);
  assert.match(server.urls[1], /[?&]ticket=t2(&|$)/);
  await chat.close();
  await server.close();
});
