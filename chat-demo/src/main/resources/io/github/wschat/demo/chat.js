// The wschat page: speaks wschat.v1.json (docs/PROTOCOL.md) and renders everything as text.
// The WebSocket URL comes from this page's own location and the port and scheme the server filled in
// (or, where nothing was filled in, the page's own origin).
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

  let ws = null;
  let me = localStorage.getItem("wschat.nick") || "";
  let members = [];
  // The newest room event shown: to resume after it on reconnecting (?since=), and to skip it if it replays.
  let last = { epoch: "", time: 0, seq: 0 };
  let retries = 0;
  let useSavedNick = me !== "";

  function url() {
    const query = new URLSearchParams();
    if (token) query.set("token", token);
    if (useSavedNick && me) query.set("nick", me);
    if (last.epoch) query.set("since", last.epoch + ":" + last.seq);
    const path = "/chat" + (room ? "/" + encodeURIComponent(room) : "");
    const q = query.toString();
    // Served as a plain file (no port filled in, as in the Spring Boot example), the chat is at the
    // page's own origin.
    const port = meta("wschat-port");
    const origin = port.startsWith("{{")
      ? (location.protocol === "https:" ? "wss" : "ws") + "://" + location.host
      : meta("wschat-scheme") + "://" + location.hostname + ":" + port;
    return origin + path + (q ? "?" + q : "");
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
    append(li);
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
    last = { epoch: e.epoch, time: e.time, seq: e.seq };
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

  function onFrame(msg) {
    let e;
    try { e = JSON.parse(msg.data); } catch (_) { return; }
    switch (e.type) {
      case "welcome":
        retries = 0;
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
        if (e.epoch !== last.epoch) last = { epoch: e.epoch, time: last.time, seq: 0 };
        system("you are " + e.nick + " in " + e.room);
        break;
      case "members":
        members = e.members.slice();
        renderMembers();
        system("here: " + e.members.join(", "));
        break;
      case "error":
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
    input.disabled = !on;
    send.disabled = !on;
    nickInput.disabled = !on;
  }
  function connect() {
    setStatus("connecting…", "connecting");
    ws = new WebSocket(url(), "wschat.v1.json");
    let opened = false;
    ws.addEventListener("open", () => {
      opened = true;
      setStatus("online", "open");
      setEnabled(true);
      input.focus();
    });
    ws.addEventListener("message", onFrame);
    ws.addEventListener("close", (evt) => {
      setEnabled(false);
      if (!opened && useSavedNick) {
        useSavedNick = false;   // the saved nickname may be taken: next time, let the server pick one
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
    if (!ws || ws.readyState !== WebSocket.OPEN || text === "") return;
    const cmd = command(text);
    if (cmd === null) {
      line("error", null, [["", help()]]);
      return;
    }
    ws.send(JSON.stringify(cmd));
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
