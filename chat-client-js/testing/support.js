// Real servers for the tests: the demo jar on free ports (and Redis for the cluster cases), a cutting
// proxy, and a WebSocket for Node 20 (the ws package) where the runtime has none.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WsWebSocket from "ws";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEMO_JAR = process.env.WSCHAT_DEMO_JAR || path.resolve(here, "../../chat-demo/target/chat-demo.jar");
/** The runtime's WebSocket (Node 22+), else ws's. */
export const WebSocket = globalThis.WebSocket || WsWebSocket;
export const CI = (process.env.CI || "").toLowerCase() === "true";

/** Waits until `condition()` is truthy, polling; fails with `what` after `timeout` ms. */
export async function until(condition, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the demo jar: `{ url, port, stop(), kill() }`; `url` is the chat's ws:// base (…/chat).
 * `wsPort` 0 for any free port; `args` more of the demo's flags.
 */
export async function startDemo(args = [], wsPort = 0) {
  if (!existsSync(DEMO_JAR)) {
    throw new Error(DEMO_JAR + " is missing: build it first (./mvnw -B -q package -DskipTests)");
  }
  const child = spawn(process.env.JAVA || "java", ["-Xmx256m", "-jar", DEMO_JAR, "--transport", "netty",
    "--host", "127.0.0.1", "--ws-port", String(wsPort), "--http-port", "0", "--history", "5000",
    "--rate-per-second", "100000", "--rate-burst", "100000", "--max-connections-per-address", "100000",
    "--ping-interval", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the demo did not start in 60 s:\n" + output)), 60000);
    const read = (chunk) => {
      output += chunk;
      const found = /websocket: (ws:\/\/[^\s]+) /.exec(output);
      if (found && output.includes("wschat demo ready")) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", read);
    child.stderr.setEncoding("utf8").on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error("the demo exited with " + code + ":\n" + output));
    });
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    url,
    port: Number(new URL(url).port),
    /** Stops it as Ctrl-C does (members get 1001). */
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    /** SIGKILL: as a node dies. */
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Whether redis-server is here; fails under CI where it is not, else says how to get it. */
export function redisServer(t) {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  if (found) return found;
  if (CI) throw new Error("CI must run the cluster cases: redis-server is missing (apt-get install redis-server)");
  t.skip("the cluster cases need redis-server: sudo apt-get install redis-server");
  return null;
}

/** A redis-server of the test's own on a free port, nothing saved: `{ uri, stop() }`. */
export async function startRedis(binary) {
  const port = await freePort();
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis-server did not start:\n" + output)), 30000);
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error("redis-server exited with " + code + ":\n" + output)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    uri: "redis://127.0.0.1:" + port,
    async stop() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * A TCP proxy to `target` on 127.0.0.1 that delays each chunk by `latency` ms and cuts every
 * connection through it every `cutMin`–`cutMax` ms (both sides destroyed, as a network that drops).
 * `{ port, cuts, close() }`.
 */
export async function startCuttingProxy(target, { latency = 5, cutMin = 300, cutMax = 800 } = {}) {
  const live = new Set();
  const proxy = { port: 0, cuts: 0, close: null };
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    const pair = { client, upstream };
    live.add(pair);
    const relay = (from, to) => from.on("data", (chunk) => {
      setTimeout(() => { if (!to.destroyed) to.write(chunk); }, latency);
    });
    relay(client, upstream);
    relay(upstream, client);
    const end = () => {
      live.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.port = server.address().port;
  let timer;
  const cut = () => {
    for (const { client, upstream } of live) {
      client.destroy();
      upstream.destroy();
    }
    live.clear();
    proxy.cuts++;
    timer = setTimeout(cut, cutMin + Math.random() * (cutMax - cutMin));
  };
  timer = setTimeout(cut, cutMin + Math.random() * (cutMax - cutMin));
  proxy.close = () => new Promise((resolve) => {
    clearTimeout(timer);
    for (const { client, upstream } of live) {
      client.destroy();
      upstream.destroy();
    }
    server.close(resolve);
  });
  return proxy;
}

/** Everything a client emits, in order, for the assertions. */
export function record(chat) {
  const seen = { events: [], messages: [], missed: [], disconnected: [], welcomes: [] };
  chat.on("event", (e) => seen.events.push(e));
  chat.on("message", (e) => seen.messages.push(e));
  chat.on("missed", (e) => seen.missed.push(e));
  chat.on("disconnected", (e) => seen.disconnected.push(e));
  chat.on("welcome", (e) => seen.welcomes.push(e));
  return seen;
}
