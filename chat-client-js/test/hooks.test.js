// The package against a demo whose backend decides who enters (--join-hook-url): a Node HTTP server
// here plays the backend, keeping everyone out of "staff".
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { connect } from "../src/wschat.js";
import { WebSocket, record, sleep, startDemo, until } from "../testing/support.js";

let demo;
let backend;
const asked = [];

before(async () => {
  backend = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk) => { body += chunk; }).on("end", () => {
      const question = JSON.parse(body);
      asked.push({ question, signed: Boolean(request.headers["webhook-signature"]) });
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify(question.room === "staff"
        ? { verdict: "refuse", status: 403, reason: "staff only" } : { verdict: "allow" }));
    });
  });
  await new Promise((resolve) => backend.listen(0, "127.0.0.1", resolve));
  demo = await startDemo(["--join-hook-url", "http://127.0.0.1:" + backend.address().port + "/join",
    "--hook-secret", "hook-secret-0123456789"]);
});

after(async () => {
  await demo?.stop();
  backend?.close();
});

test("a member the join hook keeps out is told why and does not come back; one it lets in chats", async () => {
  const eve = connect(demo.url, { WebSocket, room: "staff", nick: "eve", initialBackoff: 50, maxBackoff: 200 });
  const seen = record(eve);
  await until(() => seen.disconnected.length > 0, "eve's client to end");
  assert.deepEqual(seen.disconnected[0], { code: 4403, reason: "staff only", reconnecting: false, delay: 0 });
  await assert.rejects(eve.ready);
  const ann = connect(demo.url, { WebSocket, room: "lobby", nick: "ann" });
  assert.equal((await ann.ready).nick, "ann");
  assert.equal((await ann.say("let in")).shown, true);
  await sleep(300);
  assert.equal(asked.filter((a) => a.question.room === "staff").length, 1, "eve did not try again");
  assert.ok(asked.every((a) => a.signed), "every question signed");
  assert.equal(asked[0].question.identity, null, "an anonymous member");
  await ann.close();
});
