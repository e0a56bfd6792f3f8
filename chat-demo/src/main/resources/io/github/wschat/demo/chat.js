// The wschat page: speaks wschat.v1.json (docs/PROTOCOL.md) and renders everything as text.
// The WebSocket URL comes from this page's own location and the port and scheme the server filled in
// (or, where nothing was filled in, from the page's own origin: see where()).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
  const params = new URLSearchParams(location.search);
  const room = params.get("room");
  const token = params.get("token");
  const area = $("chat-echo-area"), input = $("chat-input"), send = $("send"), form = $("chat-form");
  const status = $("chat-status"), nickInput = $("nick-input"), nickForm = $("nick-form");
  const membersList = $("members"), memberCount = $("member-count"), newLines = $("new-lines");
  const pendingArea = $("pending"), loadOlder = $("load-older");

  let ws = null;
  let welcomed = false;   // the current connection's welcome came: the room takes lines
  let me = localStorage.getItem("wschat.nick") || "";
  let members = [];
  // The newest room event shown: to resume after it on reconnecting (?since=), and to skip it if it replays.
  let last = { epoch: "", time: 0, seq: 0 };
  let retries = 0;
  let useSavedNick = me !== "";
  let everWelcomed = false;
  // Lines typed and not yet acknowledged, in the order typed: each goes with an id, again on every
  // new connection until the server answers, and the server places it once (docs/PROTOCOL.md).
  const pending = new Map();   // id -> { cmd, li }
  const idPrefix = "p" + Math.random().toString(36).slice(2, 10) + "-";
  let nextId = 0;
  // The places of the recent lines shown, to tell whether an acknowledged line is on screen already.
  const shown = new Set();
  // Acknowledged lines whose place this page has not reached yet: epoch:seq -> the command.
  const awaited = new Map();
  // The epochs this page has been in: a line placed in one of them, before the current, will not come
  // again (its history is gone with it).
  const epochs = new Set();
  // The oldest room event shown, to page back from ("load older"); null before the first.
  let oldest = null;
  let asking = false;   // a page of older lines is on its way

  // Where the chat is. The demo fills in its port and scheme. Served as a plain file (as by a Spring
  // Boot application), the page asks its own origin: GET at the chat's path (/chat) answers {url,
  // ticket} where the chat
  // runs on a port of its own (wschat.transport=netty), the ticket naming the logged-in user there;
  // any other answer means the chat is mounted at the page's own origin.
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

  function url(chat) {
    const query = new URLSearchParams();
    if (token) query.set("token", token);
    if (chat.ticket) query.set("ticket", chat.ticket);
    if (useSavedNick && me) query.set("nick", me);
    if (last.epoch) query.set("since", last.epoch + ":" + last.seq);
    const q = query.toString();
    return chat.base + (room ? "/" + encodeURIComponent(room) : "") + (q ? "?" + q : "");
  }

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
  function renderMembers() {
    membersList.replaceChildren(...members.map((nick) => {
      const li = document.createElement("li");
      li.textContent = nick;
      if (nick === me) li.className = "me";
      return li;
    }));
    memberCount.textContent = String(members.length);
  }
  function setMe(nick) {
    me = nick;
    localStorage.setItem("wschat.nick", nick);
    if (document.activeElement !== nickInput) nickInput.value = nick;
    renderMembers();
  }

  // ---- room events ----
  function isNew(e) {
    if (e.epoch === last.epoch) return e.seq > last.seq;
    return e.time >= last.time;   // another epoch: numbering started again, time did not
  }
  function show(e) {
    if (!isNew(e)) return;
    if (!oldest) oldest = { epoch: e.epoch, seq: e.seq };
    last = { epoch: e.epoch, time: e.time, seq: e.seq };
    epochs.add(e.epoch);
    shown.add(e.epoch + ":" + e.seq);
    awaited.delete(e.epoch + ":" + e.seq);
    if (shown.size > 2000) shown.delete(shown.values().next().value);
    render(e);
  }
  function render(e) {
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
  // ---- older lines: a page of the room's history above what is shown ----
  function askOlder() {
    if (asking || !ws || ws.readyState !== WebSocket.OPEN || !welcomed) return;
    asking = true;
    const cmd = { type: "history", limit: 50, id: idPrefix + "h" + (nextId++) };
    if (oldest) cmd.before = oldest.epoch + ":" + oldest.seq;
    ws.send(JSON.stringify(cmd));
  }
  function older(page) {
    asking = false;
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
    if (page.events.length > 0) oldest = { epoch: page.events[0].epoch, seq: page.events[0].seq };
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

  function track(e) {
    if (e.type === "join" && !members.includes(e.nick)) members.push(e.nick);
    if (e.type === "leave") members = members.filter((n) => n !== e.nick);
    if (e.type === "rename") {
      members = members.map((n) => (n === e.from ? e.to : n));
      if (e.from === me) setMe(e.to);
    }
    renderMembers();
  }

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

  // ---- lines waiting for their acknowledgement ----
  function pendingText(cmd) {
    if (cmd.type === "me") return "* " + me + " " + cmd.text;
    if (cmd.type === "msg") return me + " → " + cmd.to + " (private): " + cmd.text;
    return me + ": " + cmd.text;
  }
  function queue(cmd) {
    cmd.id = idPrefix + (nextId++);
    const li = document.createElement("li");
    li.className = "pending";
    li.dataset.id = cmd.id;
    li.textContent = pendingText(cmd);
    li.title = "sending…";
    pendingArea.appendChild(li);
    pending.set(cmd.id, { cmd: cmd, li: li });
    transmit(cmd);
  }
  function transmit(cmd) {
    if (ws && ws.readyState === WebSocket.OPEN && welcomed) ws.send(JSON.stringify(cmd));
  }
  function acked(e) {
    const p = pending.get(e.id);
    if (!p) return;
    pending.delete(e.id);
    p.li.remove();
    if (!e.seq) return;   // nothing placed (a /who, a rename to the same name)
    const place = e.epoch + ":" + e.seq;
    if (shown.has(place)) return;
    if (e.epoch === last.epoch ? e.seq > last.seq : !epochs.has(e.epoch)) {
      // Placed, and still on its way: with a shared broker the acknowledgement may overtake the line
      // (also the first line of an epoch this page has not reached).
      awaited.set(place, p.cmd);
    } else {
      // Placed before what this page shows, and not on screen: a private line placed before a
      // reconnect is in no history, and a line placed in an earlier epoch (sent again after a cut
      // that also ended that epoch: a room whose last member was cut closes) comes in none. Show it.
      line("message", null, [["text", pendingText(p.cmd)]]);
    }
  }
  // After a welcome's history: acknowledged lines that neither it nor the live stream brought (a
  // private line placed before the reconnect is in no history) are shown from what was typed.
  function showAwaited() {
    awaited.forEach((cmd) => line("message", null, [["text", pendingText(cmd)]]));
    awaited.clear();
  }
  function refused(e) {
    const p = pending.get(e.id);
    if (!p) return false;
    if (e.code === "unavailable") {
      // Not taken, or not confirmed: send it again with its id; the server places it once.
      setTimeout(() => { if (pending.has(e.id)) transmit(p.cmd); }, 1000);
      return true;
    }
    pending.delete(e.id);
    p.li.className = "refused";
    p.li.title = e.text;
    const why = document.createElement("span");
    why.className = "reason";
    why.textContent = " — not sent: " + e.text;
    p.li.appendChild(why);
    area.appendChild(p.li);
    return true;
  }

  function onFrame(msg) {
    let e;
    try { e = JSON.parse(msg.data); } catch (_) { return; }
    switch (e.type) {
      case "welcome":
        retries = 0;
        // From now on the name is this page's: a reconnect asks for it again, also after a 409 (the
        // server has not yet seen the old connection go), so that the server knows the resent lines
        // for this sender's and places each once.
        useSavedNick = true;
        everWelcomed = true;
        $("room-name").textContent = e.room;
        members = e.members.slice();
        setMe(e.nick);
        setOperator((e.roles || []).includes("operator"));
        if (e.missed) {
          system(e.epoch !== last.epoch
            ? "the chat restarted: lines from before are gone"
            : "you missed some lines while you were away");
        }
        e.history.forEach(show);
        showAwaited();
        if (e.epoch !== last.epoch) last = { epoch: e.epoch, time: last.time, seq: 0 };
        epochs.add(e.epoch);
        system("you are " + e.nick + " in " + e.room);
        welcomed = true;
        pending.forEach((p) => transmit(p.cmd));
        break;
      case "ack":
        acked(e);
        break;
      case "history":
        older(e);
        break;
      case "members":
        members = e.members.slice();
        renderMembers();
        system("here: " + e.members.join(", "));
        break;
      case "error":
        if (e.id && e.id.startsWith(idPrefix + "h")) asking = false;   // a page of older lines, not now
        if (e.id && refused(e)) break;
        line("error", null, [["", e.text]]);
        if (e.code === "nickname_taken" || e.code === "invalid_nickname") nickInput.value = me;
        break;
      default:
        show(e);
        track(e);
    }
  }

  // ---- connection, with reconnect and backoff ----
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
  async function connect() {
    setStatus("connecting…", "connecting");
    const chat = await where();
    ws = new WebSocket(url(chat), "wschat.v1.json");
    welcomed = false;
    let opened = false;
    ws.addEventListener("open", () => {
      opened = true;
      setStatus("online", "open");
      setEnabled(true);
      input.focus();
    });
    ws.addEventListener("message", onFrame);
    ws.addEventListener("close", (evt) => {
      welcomed = false;
      setEnabled(false);
      if (!opened && useSavedNick && !everWelcomed) {
        useSavedNick = false;   // the saved nickname may be someone else's now: next time, let the server pick one
      }
      if (opened) {
        system("disconnected (" + evt.code + (evt.reason ? ": " + evt.reason : "") + ")");
        members = [];
        renderMembers();
      }
      const delay = Math.min(15000, 500 * Math.pow(2, retries)) * (0.75 + Math.random() * 0.5);
      retries++;
      setStatus("offline — retrying in " + Math.ceil(delay / 1000) + " s", "closed");
      setTimeout(connect, delay);
    });
  }

  // ---- input: typed commands become JSON commands ----
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
  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    const text = input.value;
    if (text === "") return;
    const cmd = command(text);
    if (cmd === null) {
      line("error", null, [["", help()]]);
      return;
    }
    if (cmd.type === "say" || cmd.type === "me" || cmd.type === "msg") {
      queue(cmd);
    } else if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(cmd));
    } else {
      return;   // other commands need the connection: keep the text
    }
    input.value = "";
  });
  nickForm.addEventListener("submit", (evt) => {
    evt.preventDefault();
    const wanted = nickInput.value.trim();
    if (ws && ws.readyState === WebSocket.OPEN && wanted && wanted !== me) {
      ws.send(JSON.stringify({ type: "nick", name: wanted }));
    }
    nickInput.blur();
  });
  nickInput.addEventListener("blur", () => { if (nickInput.value.trim() === "") nickInput.value = me; });
  area.addEventListener("scroll", () => { if (atBottom()) newLines.hidden = true; });
  newLines.addEventListener("click", () => {
    area.scrollTop = area.scrollHeight;
    newLines.hidden = true;
  });

  connect();
})();
