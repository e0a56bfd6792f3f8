// @ts-check
// wschat's web client: the JSON protocol (docs/PROTOCOL.md) with its guarantees kept for the
// application — every line placed exactly once across cuts and nodes, every room event shown once in
// the room's order, resume with ?since=, epochs and gaps told, the members kept. No dependencies: a
// browser's WebSocket, Node 22's, or one passed in (Node 20: the `ws` package).

/**
 * A room event's place in the room's order.
 * @typedef {object} Place
 * @property {string} epoch the room's epoch: a new one means the server no longer has what came before
 * @property {number} seq the event's number within its epoch
 */

/**
 * What the server answered a line with.
 * @typedef {object} Ack
 * @property {string} id the line's id
 * @property {string | null} epoch where it was placed; null for a command that placed nothing (a
 *   rename to the name one has)
 * @property {number} seq
 * @property {boolean} shown whether this client has emitted the line's event: false for a line placed
 *   where this client will never see it (a private line placed before a reconnect is in no history;
 *   a line placed in an epoch this client has left) — show it from what was sent
 */

/** @typedef {{ type: "message", epoch: string, seq: number, time: number, from: string, text: string }} MessageEvent */
/** @typedef {{ type: "action", epoch: string, seq: number, time: number, from: string, text: string }} ActionEvent */
/** @typedef {{ type: "private", epoch: string, seq: number, time: number, from: string, to: string, text: string }} PrivateEvent */
/** @typedef {{ type: "join", epoch: string, seq: number, time: number, nick: string }} JoinEvent */
/** @typedef {{ type: "leave", epoch: string, seq: number, time: number, nick: string }} LeaveEvent */
/** @typedef {{ type: "rename", epoch: string, seq: number, time: number, from: string, to: string }} RenameEvent */
/** @typedef {{ type: "notice", epoch: string, seq: number, time: number, text: string }} NoticeEvent */
/** @typedef {{ type: "removed", epoch: string, seq: number, time: number, nick: string, reason: string, bannedUntil?: number }} RemovedEvent */
/** @typedef {{ type: "muted", epoch: string, seq: number, time: number, nick: string, until: number, reason: string }} MutedEvent */
/**
 * A room event: it took a place in the room's order.
 * @typedef {MessageEvent | ActionEvent | PrivateEvent | JoinEvent | LeaveEvent | RenameEvent | NoticeEvent | RemovedEvent | MutedEvent} RoomEvent
 */

/**
 * The connection's welcome: who this client is, where, with whom.
 * @typedef {object} WelcomeEvent
 * @property {string} nick
 * @property {string} room
 * @property {string[]} members
 * @property {string[]} roles the identity's roles, e.g. ["operator"]
 * @property {string} epoch
 * @property {boolean} resumed whether this is a reconnect (the events missed meanwhile follow, or a
 *   `missed` event says they are gone)
 */

/**
 * Events happened that this client will not get: after a reconnect, the server no longer held them
 * (`newEpoch` false: older than its history), or the room started again (`newEpoch` true: the server
 * lost the room's earlier events, e.g. a restart).
 * @typedef {object} MissedEvent
 * @property {string} epoch the epoch of the last event shown
 * @property {number} seq the last event shown
 * @property {string} now the room's epoch now
 * @property {boolean} newEpoch
 */

/** @typedef {{ members: string[] }} PresenceEvent */
/** @typedef {{ state: "degraded" | "ok", text: string }} StatusEvent */
/** @typedef {{ code: string, text: string }} ErrorEvent */
/**
 * The connection ended. `reconnecting` false: for good (closed, removed 4001, banned 4003, kept out 4400/4403/4404, refused).
 * @typedef {object} DisconnectedEvent
 * @property {number} code
 * @property {string} reason
 * @property {boolean} reconnecting
 * @property {number} delay ms until the next attempt (0 when not reconnecting)
 */

/**
 * Every event a {@link Chat} emits, by name.
 * @typedef {object} ChatEvents
 * @property {WelcomeEvent} welcome
 * @property {MessageEvent} message
 * @property {ActionEvent} action
 * @property {PrivateEvent} private
 * @property {JoinEvent} join
 * @property {LeaveEvent} leave
 * @property {RenameEvent} rename
 * @property {NoticeEvent} notice
 * @property {RemovedEvent} removed
 * @property {MutedEvent} muted
 * @property {RoomEvent} event every room event, after its own name's handlers
 * @property {MissedEvent} missed
 * @property {PresenceEvent} presence
 * @property {StatusEvent} status
 * @property {ErrorEvent} error an error that answers no send of this client's (a send's is its promise's)
 * @property {{ attempt: number }} connecting
 * @property {DisconnectedEvent} disconnected
 */

/**
 * A page of the room's history, oldest first.
 * @typedef {object} HistoryPage
 * @property {RoomEvent[]} events
 * @property {boolean} more whether older events are kept
 */

/**
 * What a WebSocket implementation must be: the browser's, Node 22's, or `ws`'s.
 * @typedef {new (url: string, protocols?: string | string[]) => WebSocketLike} WebSocketConstructor
 */
/**
 * @typedef {object} WebSocketLike
 * @property {number} readyState
 * @property {(data: string) => void} send
 * @property {(code?: number, reason?: string) => void} close
 * @property {((event: any) => void) | null} onopen
 * @property {((event: { data: any }) => void) | null} onmessage
 * @property {((event: { code: number, reason: string }) => void) | null} onclose
 * @property {((event: any) => void) | null} onerror
 */

/**
 * @typedef {object} ConnectOptions
 * @property {string} [nick] the nickname to ask for first (the server may give another; later
 *   reconnects ask for the one the server gave)
 * @property {string | (() => string | Promise<string>)} [token] a JWT, or a function that gives a fresh
 *   one for each connection; sent as the subprotocol `wschat.token.JWT`, never in the URL
 * @property {string | (() => string | Promise<string>)} [ticket] a one-time ticket (a Spring application's, from
 *   `GET` at the chat's path), or a function that fetches a fresh one for each connection; sent as `?ticket=`
 * @property {string} [room] appended to each URL's path (`/chat` + `/lobby`); else the URL names it
 * @property {WebSocketConstructor} [WebSocket] the implementation (default: `globalThis.WebSocket`)
 * @property {number} [maxPending] lines waiting for an answer at most (default 1000): more are refused at once
 * @property {number} [initialBackoff] ms before the first reconnect (default 500), doubling with each failed attempt
 * @property {number} [maxBackoff] the most the doubling reaches, ms (default 15000); each delay is 0.5 to 1 times it, at random
 * @property {number} [resendDelay] ms before a line the room could not take (`unavailable`) goes again (default 1000)
 */

/** The wire format this client speaks. */
export const SUBPROTOCOL = "wschat.v1.json";
const ROOM_EVENTS = new Set(["message", "action", "private", "join", "leave", "rename", "notice", "removed", "muted"]);
/** Close codes after which trying again cannot help: removed, banned, kept out by a join hook (4400, 4403, 4404). */
const FOR_GOOD = new Set([4001, 4003, 4400, 4403, 4404]);
const OPEN = 1;

/** The server refused a send: it reached no one. */
export class ChatError extends Error {
  /**
   * @param {string} code the protocol's error code (`muted`, `rate_limited`, `no_such_member`, …), or
   *   the client's own: `outbox_full`, `disconnected` (a command that is not a line, cut before its
   *   answer), `closed`
   * @param {string} text why, as the server wrote it
   */
  constructor(code, text) {
    super(text);
    this.name = "ChatError";
    this.code = code;
  }
}

/**
 * Connects to a wschat room and keeps connected until {@link Chat#close}: see {@link Chat}.
 *
 * @param {string | string[] | (() => string | Promise<string>)} url the room's WebSocket URL (e.g.
 *   `ws://localhost:12345/chat/lobby`), several nodes' URLs of one chat (tried in turn), or a
 *   function that gives the URL for each connection (to fetch a ticket, say)
 * @param {ConnectOptions} [options]
 * @returns {Chat}
 */
export function connect(url, options = {}) {
  return new Chat(url, options);
}

/**
 * A member of one room. Lines (`say`, `me`, `msg`, `nick`) are placed **exactly once**: each goes
 * with an id, waits in an outbox until the server answers, and is sent again with its id on every new
 * connection (to any node); the server places an id once. Room events are emitted **once each, in the
 * room's order**: a reconnect resumes after the last one emitted (`?since=`); where the server no
 * longer has what was missed, a `missed` event says so. Other commands (`who`, `older`, the operator's)
 * are sent only while connected and fail with `disconnected` if the connection ends before their answer.
 *
 * Handlers run one at a time, in order, on the event loop; a handler that throws is reported on the
 * console and the others still run.
 */
export class Chat {
  /**
   * @param {string | string[] | (() => string | Promise<string>)} url
   * @param {ConnectOptions} options
   */
  constructor(url, options) {
    if (url == null) throw new TypeError("url is required");
    /** @private */ this._urls = typeof url === "function" ? [url] : Array.isArray(url) ? url.slice() : [url];
    if (this._urls.length === 0) throw new TypeError("url: at least one");
    /** @private */ this._options = options;
    /** @private */ this._WebSocket = options.WebSocket || /** @type {any} */ (globalThis).WebSocket;
    if (typeof this._WebSocket !== "function") {
      throw new TypeError("no WebSocket here: pass one as options.WebSocket (in Node 20: the ws package)");
    }
    /** @private */ this._maxPending = options.maxPending ?? 1000;
    /** @private @type {Map<string, Set<Function>>} */ this._handlers = new Map();
    /** @private @type {WebSocketLike | null} */ this._ws = null;
    /** @private */ this._welcomed = false;
    /** @private */ this._closing = false;
    /** @private */ this._attempt = 0;
    /** @private */ this._urlIndex = 0;
    /** @private */ this._generation = 0;
    /** @private */ this._idPrefix = randomPrefix() + "-";
    /** @private */ this._nextId = 0;
    /** The nickname the server gave; before the first welcome, the one asked for. */
    this.nick = options.nick || "";
    /** @private */ this._everWelcomed = false;
    /** The room's name, from the welcome. */
    this.room = "";
    /** The roles of this client's identity, from the welcome. */
    /** @type {string[]} */ this.roles = [];
    /** The room's members, kept from the welcome, joins, leaves and renames. */
    /** @type {string[]} */ this.members = [];
    /** @private @type {Place & { time: number } | null} the last room event emitted */
    this._last = null;
    /** @private @type {Place | null} the oldest room event this client holds, to page back from */
    this._oldest = null;
    /** @private @type {Set<string>} the epochs this client has been in */
    this._epochs = new Set();
    /** @private @type {Set<string>} places of the recent events emitted */
    this._shown = new Set();
    /** @private @type {Map<string, Outgoing>} lines waiting for their answer, in the order sent */
    this._outbox = new Map();
    /** @private @type {Map<string, Outgoing>} commands waiting for their answer on this connection */
    this._asked = new Map();
    /** @private @type {Map<string, { ack: Ack, resolve: (ack: Ack) => void }>} acknowledged, event not yet here */
    this._awaited = new Map();
    /** @private @type {any} */ this._timer = null;
    /** @private @type {(w: WelcomeEvent) => void} */ this._welcomedOnce = () => {};
    /** @private @type {(e: Error) => void} */ this._neverWelcomed = () => {};
    /** @private @type {Promise<WelcomeEvent>} */
    this._ready = new Promise((resolve, reject) => { this._welcomedOnce = resolve; this._neverWelcomed = reject; });
    this._ready.catch(() => {}); // not an unhandled rejection where no one asked
    /** @private @type {() => void} */ this._end = () => {};
    /** @private @type {Promise<void>} */ this._ended = new Promise((resolve) => { this._end = resolve; });
    queueMicrotask(() => this._connect());
  }

  /** Whether the room takes lines now: connected and welcomed. */
  get connected() {
    return this._welcomed;
  }

  /** Settles at the first welcome; fails if the client stops before one. @returns {Promise<WelcomeEvent>} */
  get ready() {
    return this._ready;
  }

  /** Lines sent and not yet answered. */
  get pending() {
    return this._outbox.size;
  }

  /**
   * Calls `handler` with each event of that name; returns a function that stops it.
   * @template {keyof ChatEvents} K
   * @param {K} name
   * @param {(event: ChatEvents[K]) => void} handler
   * @returns {() => void}
   */
  on(name, handler) {
    if (typeof handler !== "function") throw new TypeError("handler must be a function");
    let set = this._handlers.get(name);
    if (!set) this._handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Says a line. @param {string} text @returns {Promise<Ack>} */
  say(text) {
    return this._line({ type: "say", text: requireString(text, "text") });
  }

  /** An action (`/me`). @param {string} text @returns {Promise<Ack>} */
  me(text) {
    return this._line({ type: "me", text: requireString(text, "text") });
  }

  /** A private line to one member. @param {string} to @param {string} text @returns {Promise<Ack>} */
  msg(to, text) {
    return this._line({ type: "msg", to: requireString(to, "to"), text: requireString(text, "text") });
  }

  /** Asks for another nickname; the `rename` event says it happened. @param {string} name @returns {Promise<Ack>} */
  rename(name) {
    return this._line({ type: "nick", name: requireString(name, "name") });
  }

  /** The room's members, as the server knows them now. @returns {Promise<string[]>} */
  who() {
    return this._ask({ type: "who" }).then((answer) => answer.members);
  }

  /**
   * A page of the room's history before the oldest event this client holds (or the newest, the first
   * time), oldest first; the next call pages further back. Its events are not emitted.
   * @param {number} [limit] at most this many (default 50, at most 200)
   * @returns {Promise<HistoryPage>}
   */
  older(limit = 50) {
    /** @type {any} */
    const command = { type: "history", limit };
    if (this._oldest) command.before = this._oldest.epoch + ":" + this._oldest.seq;
    return this._ask(command).then((page) => {
      if (page.events.length > 0) this._oldest = { epoch: page.events[0].epoch, seq: page.events[0].seq };
      return { events: page.events, more: page.more };
    });
  }

  /** Operators: removes a member (closed with 4001). @param {string} nick @param {string} [reason] @returns {Promise<void>} */
  kick(nick, reason = "") {
    return this._ask({ type: "kick", nick: requireString(nick, "nick"), reason }).then(() => undefined);
  }

  /** Operators: mutes a member. @param {string} nick @param {string} duration e.g. "10m" @param {string} [reason] @returns {Promise<void>} */
  mute(nick, duration, reason = "") {
    return this._ask({ type: "mute", nick: requireString(nick, "nick"), duration: requireString(duration, "duration"), reason })
      .then(() => undefined);
  }

  /** Operators: lifts a mute. @param {string} nick @returns {Promise<void>} */
  unmute(nick) {
    return this._ask({ type: "unmute", nick: requireString(nick, "nick") }).then(() => undefined);
  }

  /** Operators: bans a member's identity (closed with 4003). @param {string} nick @param {string} duration e.g. "1h" @param {string} [reason] @returns {Promise<void>} */
  ban(nick, duration, reason = "") {
    return this._ask({ type: "ban", nick: requireString(nick, "nick"), duration: requireString(duration, "duration"), reason })
      .then(() => undefined);
  }

  /** Gives the connection a fresh token before its own expires. @param {string} token @returns {Promise<void>} */
  refresh(token) {
    return this._ask({ type: "refresh", token: requireString(token, "token") }).then(() => undefined);
  }

  /**
   * Leaves: closes the connection (1000) and stops reconnecting. Lines still waiting fail with
   * `closed` (they may or may not have been placed).
   * @returns {Promise<void>}
   */
  close() {
    if (!this._closing) {
      this._closing = true;
      clearTimeout(this._timer);
      const ws = this._ws;
      if (ws && ws.readyState === OPEN) {
        ws.close(1000, "bye");
        this._timer = setTimeout(() => this._lost(1000, "closed by the client (no answer)"), 2000);
      } else {
        this._lost(1000, "closed by the client");
      }
    }
    return this._ended;
  }

  // ---- sending ----

  /** @private @param {any} command @returns {Promise<Ack>} */
  _line(command) {
    if (this._closing) return Promise.reject(new ChatError("closed", "the client is closed"));
    if (this._outbox.size >= this._maxPending) {
      return Promise.reject(new ChatError("outbox_full", this._maxPending
        + " lines are waiting for the server already (disconnected, or the server is slow): this one was not taken"));
    }
    command.id = this._idPrefix + this._nextId++;
    return new Promise((resolve, reject) => {
      const out = { frame: JSON.stringify(command), resolve, reject };
      this._outbox.set(command.id, out);
      if (this._welcomed) this._transmit(out.frame);
    });
  }

  /** @private @param {any} command @returns {Promise<any>} */
  _ask(command) {
    if (this._closing) return Promise.reject(new ChatError("closed", "the client is closed"));
    if (!this._welcomed) return Promise.reject(new ChatError("disconnected", "not connected: try again once connected"));
    command.id = this._idPrefix + "q" + this._nextId++;
    return new Promise((resolve, reject) => {
      const out = { frame: JSON.stringify(command), resolve, reject };
      this._asked.set(command.id, out);
      this._transmit(out.frame);
    });
  }

  /** @private @param {string} frame */
  _transmit(frame) {
    const ws = this._ws;
    if (ws && ws.readyState === OPEN) {
      try {
        ws.send(frame);
      } catch (e) {
        // the connection is going: its close reconnects, and the line goes again then
      }
    }
  }

  // ---- connecting ----

  /** @private */
  async _connect() {
    if (this._closing) return;
    const generation = ++this._generation;
    this._emit("connecting", { attempt: this._attempt });
    let url, token;
    try {
      const source = this._urls[this._urlIndex % this._urls.length];
      url = new URL(typeof source === "function" ? await source() : source);
      const t = this._options.token;
      token = typeof t === "function" ? await t() : t;
      const k = this._options.ticket;
      const ticket = typeof k === "function" ? await k() : k;
      if (ticket) url.searchParams.set("ticket", ticket);
    } catch (e) {
      if (generation === this._generation) this._lost(1006, "could not get the URL or token: " + errorText(e));
      return;
    }
    if (generation !== this._generation || this._closing) return;
    if (this._options.room) url.pathname = url.pathname.replace(/\/$/, "") + "/" + encodeURIComponent(this._options.room);
    if (this.nick) url.searchParams.set("nick", this.nick);
    if (this._last) url.searchParams.set("since", this._last.epoch + ":" + this._last.seq);
    const protocols = token ? [SUBPROTOCOL, "wschat.token." + token] : [SUBPROTOCOL];
    /** @type {WebSocketLike} */
    let ws;
    try {
      ws = new this._WebSocket(url.toString(), protocols);
    } catch (e) {
      this._lost(1006, "could not connect: " + errorText(e));
      return;
    }
    this._ws = ws;
    this._welcomed = false;
    let opened = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (event) => {
      if (generation === this._generation) this._received(String(event.data));
    };
    ws.onerror = () => { /* a close follows */ };
    ws.onclose = (event) => {
      if (generation !== this._generation) return;
      if (!opened && !this._everWelcomed && this.nick && this.nick === this._options.nick) {
        // Refused before the first welcome (409: the name is taken): let the server pick one next time.
        this.nick = "";
      }
      this._lost(event.code || 1006, event.reason || "");
    };
  }

  /** @private @param {number} code @param {string} reason */
  _lost(code, reason) {
    const ws = this._ws;
    this._ws = null;
    this._welcomed = false;
    this._generation++;
    clearTimeout(this._timer);
    if (ws && ws.readyState <= OPEN) {
      try { ws.close(); } catch (e) { /* already going */ }
    }
    for (const out of this._asked.values()) {
      out.reject(new ChatError("disconnected", "the connection ended before the server answered"));
    }
    this._asked.clear();
    const again = !this._closing && !FOR_GOOD.has(code);
    if (!again) {
      this._closing = true;
      const error = new ChatError("closed", "the client stopped (" + code + (reason ? " " + reason : "")
        + ") before the server answered this line: it may or may not have been placed");
      for (const out of this._outbox.values()) out.reject(error);
      this._outbox.clear();
      this._neverWelcomed(new ChatError("closed", "the client stopped (" + code + (reason ? " " + reason : "") + ")"));
      this._emit("disconnected", { code, reason, reconnecting: false, delay: 0 });
      this._end();
      return;
    }
    const full = Math.min(this._options.maxBackoff ?? 15000,
      (this._options.initialBackoff ?? 500) * Math.pow(2, Math.min(this._attempt, 30)));
    const delay = Math.round(full * (0.5 + Math.random() / 2));
    this._attempt++;
    this._urlIndex++;
    this._emit("disconnected", { code, reason, reconnecting: true, delay });
    this._timer = setTimeout(() => this._connect(), delay);
  }

  // ---- receiving ----

  /** @private @param {string} data */
  _received(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame.type !== "string") return;
    if (ROOM_EVENTS.has(frame.type)) {
      this._deliver(frame);
      return;
    }
    switch (frame.type) {
      case "welcome": this._welcome(frame); break;
      case "ack": this._acked(frame); break;
      case "members": this._setMembers(frame.members); this._answered(frame); break;
      case "history": this._answered(frame); break;
      case "error": this._error(frame); break;
      case "status": this._emit("status", { state: frame.state, text: frame.text }); break;
      default: break; // a frame a later server may send: not this client's
    }
  }

  /** @private @param {any} w */
  _welcome(w) {
    const resumed = this._last !== null;
    this._everWelcomed = true;
    this._attempt = 0;
    this.nick = w.nick;
    this.room = w.room;
    this.roles = w.roles || [];
    this.members = w.members.slice();
    /** @type {WelcomeEvent} */
    const welcome = { nick: w.nick, room: w.room, members: this.members.slice(), roles: this.roles.slice(),
      epoch: w.epoch, resumed };
    this._welcomedOnce(welcome);
    this._emit("welcome", welcome);
    if (this._last && (w.missed || w.epoch !== this._last.epoch)) {
      this._emit("missed", { epoch: this._last.epoch, seq: this._last.seq, now: w.epoch,
        newEpoch: w.epoch !== this._last.epoch });
    }
    this._emit("presence", { members: this.members.slice() });
    for (const event of w.history) this._deliver(event);
    if (!this._last || this._last.epoch !== w.epoch) {
      this._last = { epoch: w.epoch, seq: 0, time: this._last ? this._last.time : 0 };
    }
    this._epochs.add(w.epoch);
    // Acknowledged lines the history did not bring and that this epoch will not: shown never.
    for (const [place, waiting] of this._awaited) {
      if (!this._ahead(waiting.ack)) this._settleAwaited(place, false);
    }
    this._welcomed = true;
    for (const out of this._outbox.values()) this._transmit(out.frame);
  }

  /** @private Whether a place is still to come on this connection. @param {{ epoch: string | null, seq: number }} p */
  _ahead(p) {
    if (!this._last) return true;
    if (p.epoch === this._last.epoch) return p.seq > this._last.seq;
    return !this._epochs.has(/** @type {string} */ (p.epoch)); // an epoch not reached yet (not one left)
  }

  /** @private @param {RoomEvent} event */
  _deliver(event) {
    if (this._last) {
      if (event.epoch === this._last.epoch) {
        if (event.seq <= this._last.seq) return; // shown already
      } else if (this._epochs.has(event.epoch)) {
        return; // an epoch left behind: what it had is shown, or gone
      }
    }
    this._last = { epoch: event.epoch, seq: event.seq, time: event.time };
    this._epochs.add(event.epoch);
    if (!this._oldest) this._oldest = { epoch: event.epoch, seq: event.seq };
    const place = event.epoch + ":" + event.seq;
    this._shown.add(place);
    if (this._shown.size > 4000) this._shown.delete(/** @type {string} */ (this._shown.values().next().value));
    this._track(event);
    this._emit(event.type, event);
    this._emit("event", event);
    if (this._awaited.size > 0) {
      for (const [at, waiting] of this._awaited) {
        if (at === place) this._settleAwaited(at, true);
        else if (!this._ahead(waiting.ack)) this._settleAwaited(at, false);
      }
    }
  }

  /** @private @param {string} place @param {boolean} shown */
  _settleAwaited(place, shown) {
    const waiting = this._awaited.get(place);
    if (!waiting) return;
    this._awaited.delete(place);
    waiting.resolve({ ...waiting.ack, shown });
  }

  /** @private @param {RoomEvent} e */
  _track(e) {
    let changed = true;
    if (e.type === "join" && !this.members.includes(e.nick)) this.members.push(e.nick);
    else if (e.type === "leave") this.members = this.members.filter((n) => n !== e.nick);
    else if (e.type === "rename") {
      this.members = this.members.map((n) => (n === e.from ? e.to : n));
      if (e.from === this.nick) this.nick = e.to;
    } else changed = false;
    if (changed) this._emit("presence", { members: this.members.slice() });
  }

  /** @private @param {string[]} members */
  _setMembers(members) {
    this.members = members.slice();
    this._emit("presence", { members: this.members.slice() });
  }

  /** @private @param {any} frame */
  _acked(frame) {
    if (this._answered(frame)) return;
    const out = this._outbox.get(frame.id);
    if (!out) return;
    this._outbox.delete(frame.id);
    if (!frame.seq) {
      out.resolve({ id: frame.id, epoch: null, seq: 0, shown: false }); // placed nothing
      return;
    }
    /** @type {Ack} */
    const ack = { id: frame.id, epoch: frame.epoch, seq: frame.seq, shown: true };
    const place = frame.epoch + ":" + frame.seq;
    if (this._shown.has(place)) {
      out.resolve(ack);
    } else if (this._ahead(ack)) {
      // Placed and still on its way: the ack overtook the line (a shared broker), or the line opens an
      // epoch this client has not reached. Answered when it comes, or when it is passed.
      this._awaited.set(place, { ack, resolve: out.resolve });
    } else {
      // Placed before what this client shows, and not among what it showed: a private line placed
      // before a reconnect (in no history), or a line placed in an epoch left behind.
      out.resolve({ ...ack, shown: false });
    }
  }

  /** @private An answer to a command of `_ask`'s: settles it. @param {any} frame @returns {boolean} */
  _answered(frame) {
    const out = frame.id && this._asked.get(frame.id);
    if (!out) return false;
    this._asked.delete(frame.id);
    if (frame.type === "error") out.reject(new ChatError(frame.code, frame.text));
    else out.resolve(frame);
    return true;
  }

  /** @private @param {any} frame */
  _error(frame) {
    if (this._answered(frame)) return;
    const out = frame.id ? this._outbox.get(frame.id) : undefined;
    if (!out) {
      this._emit("error", { code: frame.code, text: frame.text });
      return;
    }
    if (frame.code === "unavailable") {
      // Not taken, or not confirmed: the same id again once the room is back; the server places it
      // once, or answers with where it was placed.
      const generation = this._generation;
      setTimeout(() => {
        if (generation === this._generation && this._outbox.get(frame.id) === out) this._transmit(out.frame);
      }, this._options.resendDelay ?? 1000);
      return;
    }
    this._outbox.delete(frame.id);
    out.reject(new ChatError(frame.code, frame.text));
  }

  /** @private @param {string} name @param {any} event */
  _emit(name, event) {
    const set = this._handlers.get(name);
    if (!set) return;
    for (const handler of Array.from(set)) {
      try {
        handler(event);
      } catch (e) {
        console.error("wschat: a handler of " + name + " threw", e);
      }
    }
  }
}

/** @typedef {{ frame: string, resolve: (value: any) => void, reject: (error: Error) => void }} Outgoing */

/** @param {unknown} value @param {string} name @returns {string} */
function requireString(value, name) {
  if (typeof value !== "string") throw new TypeError(name + " must be a string");
  return value;
}

/** @param {unknown} e @returns {string} */
function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

/** A random id prefix: a person's devices must not draw the same ids (docs/PROTOCOL.md). */
function randomPrefix() {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return "w" + Array.from(bytes, (b) => b.toString(36).padStart(2, "0")).join("").slice(0, 12);
}
