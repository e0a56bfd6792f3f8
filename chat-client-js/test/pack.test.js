// What npm pack makes is what a fresh project installs and uses: against the demo, with its types.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { connect } from "../src/wschat.js";
import { WebSocket, record, startDemo, until } from "../testing/support.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let work;
let demo;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), "wschat-client-pack-"));
  demo = await startDemo();
});

after(async () => {
  await demo?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("npm pack's tarball installs in a fresh project, chats with the demo, and brings its types", async () => {
  execFileSync(npm, ["pack", "--pack-destination", work], { cwd: root, stdio: "pipe" });
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "a tarball");
  const listing = execFileSync("tar", ["-tzf", path.join(work, tarball)], { encoding: "utf8" }).trim().split("\n").sort();
  assert.deepEqual(listing, ["package/README.md", "package/package.json", "package/src/wschat.js",
    "package/types/wschat.d.ts"]);

  const app = path.join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(work, tarball), "ws@8"],
    { cwd: app, stdio: "pipe" });
  writeFileSync(path.join(app, "main.js"), `
    import { connect } from "wschat-client";
    import WebSocket from "ws";
    const chat = connect(process.argv[2], { WebSocket, room: "packed", nick: "fresh" });
    const ack = await chat.say("hello from the tarball");
    console.log(JSON.stringify(ack));
    await chat.close();
  `);

  const observer = connect(demo.url, { WebSocket, room: "packed", nick: "watcher" });
  const watched = record(observer);
  await observer.ready;
  const run = spawnSync(process.execPath, ["main.js", demo.url], { cwd: app, encoding: "utf8", timeout: 30000 });
  assert.equal(run.status, 0, run.stderr);
  const ack = JSON.parse(run.stdout.trim());
  assert.equal(ack.shown, true);
  await until(() => watched.messages.some((m) => m.text === "hello from the tarball"), "the line");
  const line = watched.messages.find((m) => m.text === "hello from the tarball");
  assert.deepEqual([line.from, line.epoch, line.seq], ["fresh", ack.epoch, ack.seq]);
  await observer.close();

  // The types come with it: a TypeScript user's right code compiles, and a wrong field does not.
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const project = (file) => {
    writeFileSync(path.join(app, "tsconfig." + file + ".json"), JSON.stringify({
      compilerOptions: { noEmit: true, strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022",
        lib: ["es2022", "dom"], types: [] },
      files: [file + ".ts"],
    }));
    return spawnSync(process.execPath, [tsc, "-p", "tsconfig." + file + ".json"], { cwd: app, encoding: "utf8" });
  };
  writeFileSync(path.join(app, "good.ts"), `
    import { connect, ChatError, type Ack, type MessageEvent } from "wschat-client";
    const chat = connect("ws://localhost:12345/chat", { room: "lobby", nick: "ann" });
    chat.on("message", (m: MessageEvent) => console.log(m.from.toUpperCase(), m.text, m.seq + 1));
    chat.on("missed", (gap) => console.log(gap.newEpoch ? "a new epoch" : "missed", gap.now));
    chat.on("presence", ({ members }) => console.log(members.join(", ")));
    const placed: Promise<Ack> = chat.say("hi");
    placed.then((ack) => ack.shown, (e) => e instanceof ChatError && e.code);
    const page = chat.older(20).then((p) => p.events.map((e) => e.type));
  `);
  writeFileSync(path.join(app, "bad.ts"), `
    import { connect } from "wschat-client";
    const chat = connect("ws://localhost:12345/chat");
    chat.on("message", (m) => m.nope);
    chat.say(42);
  `);
  const good = project("good");
  assert.equal(good.status, 0, good.stdout + good.stderr);
  const bad = project("bad");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout, /Property 'nope' does not exist/);
  assert.match(bad.stdout, /Argument of type 'number' is not assignable/);
});

test("the package's version is the Maven modules' version", () => {
  const pom = readFileSync(path.join(root, "..", "pom.xml"), "utf8");
  const maven = /<artifactId>wschat-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)[1];
  const npmVersion = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;
  assert.equal(npmVersion, maven);
});
