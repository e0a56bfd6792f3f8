// The wschat admin console: rooms, their members and last lines, a line-rate chart and the
// moderation buttons, all through the server HTTP API (docs/API.md) with an API key the operator
// enters (kept in this tab's sessionStorage only) or, where the server knows the operator (Spring
// Security), with the page's session and its CSRF token. Renders text only, never HTML.
const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector('meta[name="' + name + '"]')?.content || "";
const API = meta("wschat-api") || "/api";
const SESSION = meta("wschat-auth") === "session";
const CSRF = meta("wschat-csrf-header") ? { [meta("wschat-csrf-header")]: meta("wschat-csrf-token") } : {};
let key = sessionStorage.getItem("wschat.apiKey") || "";
let room = new URLSearchParams(location.search).get("room") || "";
const rates = new Map();   // room -> [{t, seq}] samples, for the chart
const POLL_MS = 2000;

async function api(method, path, body) {
  const auth = key ? { Authorization: "Bearer " + key } : method === "GET" ? {} : CSRF;
  const answer = await fetch(API + path, {
    method,
    headers: { ...auth, ...(body ? { "Content-Type": "application/json" } : {}) },
    credentials: "same-origin",
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  if (answer.status === 204) return {};
  const data = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(data.detail || data.title || "HTTP " + answer.status);
  return data;
}

function setStatus(text, kind) {
  $("api-status").textContent = text;
  $("api-status").className = "status " + kind;
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function renderRooms(list) {
  const body = $("rooms").tBodies[0];
  body.replaceChildren(...list.map((r) => {
    const tr = document.createElement("tr");
    tr.dataset.room = r.name;
    if (r.name === room) tr.className = "selected";
    cell(tr, r.name);
    cell(tr, String(r.members));
    tr.addEventListener("click", () => select(r.name));
    return tr;
  }));
}

function moderate(nick, action, body, label) {
  api("POST", "/rooms/" + encodeURIComponent(room) + "/members/" + encodeURIComponent(nick) + "/" + action, body)
    .then(() => { $("outcome").textContent = label + " " + nick; poll(); })
    .catch((e) => { $("outcome").textContent = label + " " + nick + " failed: " + e.message; });
}

function renderMembers(list) {
  const body = $("members").tBodies[0];
  body.replaceChildren(...list.map((m) => {
    const tr = document.createElement("tr");
    tr.dataset.nick = m.nick;
    cell(tr, m.nick);
    cell(tr, m.identity || "—");
    cell(tr, m.roles.join(", ") || "—");
    cell(tr, m.devices === 0 ? "away" : String(m.devices));
    const actions = cell(tr, "");
    for (const [action, label, body, danger] of [
      ["kick", "kick", { reason: "removed from the console" }, false],
      ["mute", "mute 10m", { duration: "10m", reason: "muted from the console" }, false],
      ["unmute", "unmute", null, false],
      ["ban", "ban 1h", { duration: "1h", reason: "banned from the console" }, true],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset.action = action;
      if (danger) button.className = "danger";
      button.addEventListener("click", () => moderate(m.nick, action, body, label));
      actions.appendChild(button);
    }
    return tr;
  }));
}

function describe(e) {
  switch (e.type) {
    case "message": return e.from + ": " + e.text;
    case "action": return "* " + e.from + " " + e.text;
    case "join": return e.nick + " joined";
    case "leave": return e.nick + " left";
    case "rename": return e.from + " is now " + e.to;
    case "notice": return "notice: " + e.text;
    case "removed": return e.nick + (e.bannedUntil ? " banned: " : " removed: ") + e.reason;
    case "muted": return e.until > e.time ? e.nick + " muted: " + e.reason : e.nick + " may speak again";
    default: return e.type;
  }
}

function renderLines(page) {
  $("lines").replaceChildren(...page.events.map((e) => {
    const li = document.createElement("li");
    li.textContent = new Date(e.time).toLocaleTimeString() + "  " + describe(e);
    return li;
  }));
  const last = page.events[page.events.length - 1];
  if (last) sample(last);
}

// The line rate: events a second between polls, from the newest event's sequence number.
function sample(last) {
  const samples = rates.get(room) || [];
  const now = Date.now();
  const prev = samples[samples.length - 1];
  if (!prev || prev.epoch !== last.epoch || prev.seq !== last.seq || now - prev.t > POLL_MS / 2) {
    samples.push({ t: now, seq: last.seq, epoch: last.epoch });
  }
  while (samples.length > 0 && now - samples[0].t > 120000) samples.shift();
  rates.set(room, samples);
  const points = [];
  let max = 1;
  const perSecond = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1], b = samples[i];
    const r = a.epoch === b.epoch ? Math.max(0, (b.seq - a.seq) / ((b.t - a.t) / 1000)) : 0;
    perSecond.push({ t: b.t, r });
    max = Math.max(max, r);
  }
  for (const { t, r } of perSecond) {
    points.push(((240 * (t - (now - 120000))) / 120000).toFixed(1) + "," + (58 - (54 * r) / max).toFixed(1));
  }
  $("rate-line").setAttribute("points", points.join(" "));
  const current = perSecond.length ? perSecond[perSecond.length - 1].r : 0;
  $("rate-now").textContent = "now " + current.toFixed(1) + "/s, at most " + max.toFixed(1) + "/s";
}

async function poll() {
  if (!key && !SESSION) return;
  try {
    const { rooms } = await api("GET", "/rooms");
    renderRooms(rooms);
    setStatus("connected", "open");
    if (room) {
      const [{ members }, page] = await Promise.all([
        api("GET", "/rooms/" + encodeURIComponent(room) + "/members"),
        api("GET", "/rooms/" + encodeURIComponent(room) + "/history?limit=20"),
      ]);
      renderMembers(members);
      renderLines(page);
    }
  } catch (e) {
    setStatus(e.message, "closed");
  }
}

function select(name) {
  room = name;
  $("room-title").textContent = name;
  $("room-panel").hidden = false;
  history.replaceState(null, "", "?room=" + encodeURIComponent(name));
  poll();
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  key = $("key-input").value.trim();
  sessionStorage.setItem("wschat.apiKey", key);
  $("key-input").value = "";
  setStatus("connecting…", "connecting");
  poll();
});
$("notice-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("notice-input").value.trim();
  if (!text || !room) return;
  api("POST", "/rooms/" + encodeURIComponent(room) + "/notices", { text })
    .then(() => { $("notice-input").value = ""; $("outcome").textContent = "posted"; poll(); })
    .catch((e) => { $("outcome").textContent = "not posted: " + e.message; });
});

if (room) select(room);
setInterval(poll, POLL_MS);
poll();
