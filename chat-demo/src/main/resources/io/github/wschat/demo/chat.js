// The seed's page, kept as small: a list of lines and an input; Enter sends.
// The WebSocket URL comes from this page's own location and the port the server filled in.
(function () {
  "use strict";
  const port = document.querySelector('meta[name="wschat-port"]').content;
  const scheme = document.querySelector('meta[name="wschat-scheme"]').content;
  const token = new URLSearchParams(location.search).get("token");
  const url = scheme + "://" + location.hostname + ":" + port + "/chat" + (token ? "?token=" + encodeURIComponent(token) : "");

  const area = document.getElementById("chat-echo-area");
  const input = document.getElementById("chat-input");
  const form = document.getElementById("chat-form");
  const status = document.getElementById("chat-status");

  function show(text, kind) {
    const li = document.createElement("li");
    li.textContent = text;               // text, never HTML
    if (kind) li.className = kind;
    const atBottom = area.scrollHeight - area.scrollTop - area.clientHeight < 40;
    area.appendChild(li);
    if (atBottom) area.scrollTop = area.scrollHeight;
  }

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = "status " + kind;
  }

  const ws = new WebSocket(url);
  ws.addEventListener("open", () => {
    setStatus("connected", "open");
    input.disabled = false;
    input.focus();
  });
  ws.addEventListener("message", (msg) => {
    show(msg.data, msg.data.startsWith(" .... ") ? "system" : "");
  });
  ws.addEventListener("close", (evt) => {
    input.disabled = true;
    setStatus("disconnected", "closed");
    show(" .... disconnected (" + evt.code + (evt.reason ? ": " + evt.reason : "") + ")", "system");
  });

  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    if (ws.readyState === WebSocket.OPEN && input.value !== "") {
      ws.send(input.value);
      input.value = "";
    }
  });
})();
