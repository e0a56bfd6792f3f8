// The wschat page: renders a room as text, on the web client package (wschat.js, from chat-client-js),
// which keeps the protocol's promises (docs/PROTOCOL.md, docs/CLIENTS.md): each line placed once, each
// event shown once in the room's order, resume, epochs, members. This file only draws and reads keys.
// The WebSocket URL comes from this page's own location and the port and scheme the server filled in
// (or, where nothing was filled in, from the page's own origin: see where()).
import { connect } from "./wschat.js";

const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
const params = new URLSearchParams(location.search);
const room = params.get("room");
const token = params.get("token");
const area = $("chat-echo-area"), input = $("chat-input"), send = $("send"), form = $("chat-form");
const status = $("chat-status"), nickInput = $("nick-input"), nickForm = $("nick-form");
const membersList = $("members"), memberCount = $("member-count"), newLines = $("new-lines");
const pendingArea = $("pending"), loadOlder = $("load-older");

// Where the chat is. The demo fills in its port and scheme. Served as a plain file (as by a Spring
// Boot application), the page asks its own origin: GET at the chat's path (/chat) answers {url,
// ticket} where the chat runs on a port of its own (wschat.transport=netty), the ticket naming the
// logged-in user there; any other answer means the chat is mounted at the page's own origin.
async function where() {
  const port = meta("wschat-port");
  const path = meta("wschat-path");
  if (!port.startsWith("{{")) {
    return { base: meta("wschat-scheme") + "://" + location.hostname + ":" + port + path };
  }
  const own = { base: (location.protocol === "https:" ? "wss" : "ws") + "://" + location.host + path };
  try {
    const answer = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
    const type = answer.headers.get("Content-Type") || "";
    if (answer.ok && type.startsWith("application/json")) {
      const office = await answer.json();
      if (office.url) return { base: office.url, ticket: office.ticket };
    }
  } catch (e) {
    // not reachable: try the page's own origin
  }
  return own;
}

// The room's URL for each connection (a ticket is good for one); the package adds nick and since.
async function url() {
  const chat = await where();
  const query = new URLSearchParams();
  if (token) query.set("token", token);
  if (chat.ticket) query.set("ticket", chat.ticket);
  const q = query.toString();
  return chat.base + (room ? "/" + encodeURIComponent(room) : "") + (q ? "?" + q : "");
}

const chat = connect(url, { nick: localStorage.getItem("wschat.nick") || undefined });

// ---- rendering: text only, never HTML ----
function atBottom() {
  return area.scrollHeight - area.scrollTop - area.clientHeight < 40;
}
function append(li) {
  const stick = atBottom();
  area.appendChild(li);
  if (stick) {
    area.scrollTop = area.scrollHeight;
  } else {
    newLines.hidden = false;   // the user scrolled up: do not pull them down, say there is more
  }
}
// Where a rendered line goes: the bottom, as lines come; the top, for a page of older ones.
let sink = append;
function line(kind, time, parts) {
  const li = document.createElement("li");
  li.className = kind;
  if (time) {
    const t = document.createElement("time");
    const d = new Date(time);
    t.dateTime = d.toISOString();
    t.textContent = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    li.appendChild(t);
  }
  for (const [cls, text] of parts) {
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text;
    li.appendChild(span);
  }
  sink(li);
}
function system(text, time) {
  line("system", time, [["", text]]);
}
function error(text) {
  line("error", null, [["", text]]);
}
function renderMembers(members = chat.members) {
  membersList.replaceChildren(...members.map((nick) => {
    const li = document.createElement("li");
    li.textContent = nick;
    if (nick === chat.nick) li.className = "me";
    return li;
  }));
  memberCount.textContent = String(members.length);
}
function showMe() {
  localStorage.setItem("wschat.nick", chat.nick);
  if (document.activeElement !== nickInput) nickInput.value = chat.nick;
  renderMembers();
}
function render(e) {
  const me = chat.nick;
  switch (e.type) {
    case "message":
      line("message", e.time, [["from" + (e.from === me ? " me" : ""), e.from], ["text", e.text]]);
      break;
    case "action":
      line("action", e.time, [["", "* " + e.from + " " + e.text]]);
      break;
    case "private":
      line("private", e.time, [["from", e.from + " → " + e.to + " (private)"], ["text", e.text]]);
      break;
    case "join":
      system(e.nick + " joined", e.time);
      break;
    case "leave":
      system(e.nick + " left", e.time);
      break;
    case "rename":
      system(e.from + " is now known as " + e.to, e.time);
      break;
    case "notice":
      line("notice", e.time, [["", e.text]]);
      break;
    case "removed":
      system(e.nick + (e.bannedUntil ? " was banned" : " was removed") + ": " + e.reason, e.time);
      break;
    case "muted":
      system(e.until > e.time ? e.nick + " is muted until " + new Date(e.until).toLocaleTimeString() + ": " + e.reason
        : e.nick + " may speak again", e.time);
      break;
  }
}

// ---- what the package tells ----
chat.on("welcome", (w) => {
  $("room-name").textContent = w.room;
  showMe();
  setOperator(w.roles.includes("operator"));
  online = true;
  setStatus("online", "open");
  setEnabled(true);
  input.focus();
  // After the history the welcome brings (emitted right after this, as events).
  queueMicrotask(() => system("you are " + w.nick + " in " + w.room));
});
chat.on("missed", (gap) => {
  system(gap.newEpoch ? "the chat restarted: lines from before are gone" : "you missed some lines while you were away");
});
chat.on("event", render);
chat.on("presence", showMe);
chat.on("status", (s) => system(s.text));
chat.on("error", (e) => error(e.text));
chat.on("connecting", () => setStatus("connecting…", "connecting"));
let online = false;   // welcomed on the connection that is now ending
chat.on("disconnected", (d) => {
  setEnabled(false);
  if (online || d.code >= 4000) {
    system("disconnected (" + d.code + (d.reason ? ": " + d.reason : "") + ")");
  }
  online = false;
  renderMembers([]);
  setStatus(d.reconnecting ? "offline — retrying in " + Math.ceil(d.delay / 1000) + " s" : "offline", "closed");
});

// ---- older lines: a page of the room's history above what is shown ----
let asking = false;
function askOlder() {
  if (asking || !chat.connected) return;
  asking = true;
  chat.older(50).then(older, () => {}).finally(() => { asking = false; });
}
function older(page) {
  const above = [];
  sink = (li) => above.push(li);
  try {
    page.events.forEach(render);
  } finally {
    sink = append;
  }
  const from = area.scrollHeight - area.scrollTop;
  const first = area.firstChild;
  above.forEach((li) => area.insertBefore(li, first));
  area.scrollTop = area.scrollHeight - from;   // the lines read stay where they were
  if (!page.more) {
    loadOlder.hidden = true;
    const top = document.createElement("li");
    top.className = "system first";
    top.textContent = "the room's first line";
    area.insertBefore(top, area.firstChild);
  }
}
loadOlder.addEventListener("click", askOlder);
area.addEventListener("scroll", () => { if (area.scrollTop === 0 && !loadOlder.hidden) askOlder(); });

// Operators (the server says so in the welcome) see the moderation commands; anyone may type them,
// and the server answers others with an error.
const OPERATOR_HELP = "/kick NICK REASON, /mute NICK 10m [REASON], /unmute NICK, /ban NICK 1h [REASON]";
let operator = false;
function setOperator(on) {
  operator = on;
  $("operator-tools").hidden = !on;
  input.placeholder = on ? "say something — /nick, /who, /msg, /me, /kick, /mute, /ban"
    : "say something — /nick, /who, /msg, /me";
}
function help() {
  return "commands: /nick NAME, /who, /msg NICK TEXT, /me ACTION; // starts a line with /"
    + (operator ? "; operators: " + OPERATOR_HELP : "");
}

// ---- lines on their way: shown as pending until the server places or refuses them ----
function pendingText(cmd) {
  if (cmd.type === "me") return "* " + chat.nick + " " + cmd.text;
  if (cmd.type === "msg") return chat.nick + " → " + cmd.to + " (private): " + cmd.text;
  return chat.nick + ": " + cmd.text;
}
function sendLine(cmd) {
  const li = document.createElement("li");
  li.className = "pending";
  li.textContent = pendingText(cmd);
  li.title = "sending…";
  pendingArea.appendChild(li);
  const sent = cmd.type === "me" ? chat.me(cmd.text) : cmd.type === "msg" ? chat.msg(cmd.to, cmd.text) : chat.say(cmd.text);
  sent.then((ack) => {
    li.remove();
    // Placed where this page will not see it (a private line placed before a reconnect, a line placed
    // in an epoch the page has left): show it from what was typed.
    if (ack.epoch && !ack.shown) line("message", null, [["text", li.textContent]]);
  }, (e) => {
    li.className = "refused";
    li.title = e.message;
    const why = document.createElement("span");
    why.className = "reason";
    why.textContent = " — not sent: " + e.message;
    li.appendChild(why);
    area.appendChild(li);
  });
}

// ---- connection state ----
function setStatus(text, kind) {
  status.textContent = text;
  status.className = "status " + kind;
}
function setEnabled(on) {
  // Lines may be typed while offline: they wait, pending, and go once the page is back.
  input.disabled = false;
  send.disabled = false;
  nickInput.disabled = !on;
}
setStatus("connecting…", "connecting");

// ---- input: typed commands become the package's calls ----
function command(text) {
  if (text.startsWith("//")) return { type: "say", text: text.substring(1) };
  if (!text.startsWith("/")) return { type: "say", text: text };
  const [name, ...rest] = text.substring(1).split(" ");
  const arg = rest.join(" ").trim();
  switch (name) {
    case "nick": return arg ? { type: "nick", name: arg } : null;
    case "who": return { type: "who" };
    case "me": return arg ? { type: "me", text: arg } : null;
    case "msg": {
      const space = arg.indexOf(" ");
      return space > 0 ? { type: "msg", to: arg.substring(0, space), text: arg.substring(space + 1) } : null;
    }
    case "kick":
      return rest[0] ? { type: "kick", nick: rest[0], reason: rest.slice(1).join(" ").trim() } : null;
    case "unmute":
      return rest[0] ? { type: "unmute", nick: rest[0] } : null;
    case "mute":
    case "ban":
      return rest[0] && rest[1]
        ? { type: name, nick: rest[0], duration: rest[1], reason: rest.slice(2).join(" ").trim() } : null;
    default: return null;
  }
}
function carryOut(cmd) {
  switch (cmd.type) {
    case "nick": return chat.rename(cmd.name).catch((e) => { nickInput.value = chat.nick; throw e; });
    case "who": return chat.who().then((members) => system("here: " + members.join(", ")));
    case "kick": return chat.kick(cmd.nick, cmd.reason);
    case "unmute": return chat.unmute(cmd.nick);
    case "mute": return chat.mute(cmd.nick, cmd.duration, cmd.reason);
    case "ban": return chat.ban(cmd.nick, cmd.duration, cmd.reason);
  }
}
form.addEventListener("submit", (evt) => {
  evt.preventDefault();
  const text = input.value;
  if (text === "") return;
  const cmd = command(text);
  if (cmd === null) {
    error(help());
    return;
  }
  if (cmd.type === "say" || cmd.type === "me" || cmd.type === "msg") {
    sendLine(cmd);
  } else if (chat.connected) {
    carryOut(cmd).catch((e) => error(e.message));
  } else {
    return;   // other commands need the connection: keep the text
  }
  input.value = "";
});
nickForm.addEventListener("submit", (evt) => {
  evt.preventDefault();
  const wanted = nickInput.value.trim();
  if (chat.connected && wanted && wanted !== chat.nick) {
    chat.rename(wanted).catch((e) => {
      error(e.message);
      nickInput.value = chat.nick;
    });
  }
  nickInput.blur();
});
nickInput.addEventListener("blur", () => { if (nickInput.value.trim() === "") nickInput.value = chat.nick; });
area.addEventListener("scroll", () => { if (atBottom()) newLines.hidden = true; });
newLines.addEventListener("click", () => {
  area.scrollTop = area.scrollHeight;
  newLines.hidden = true;
});
