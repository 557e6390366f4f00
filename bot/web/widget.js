/*
 * Orientation CMQ chat widget: one <script> tag embeds it on any page.
 *
 *   <script src="https://host:8000/widget.js" data-server="https://assistant.example.org"
 *           data-title="Orientation CMQ" data-color="#1d4ed8" data-open="true"></script>
 *
 * It talks to Rasa's socket.io channel (session_request / user_uttered / bot_uttered), keeps
 * the conversation across page reloads (same session id, history in localStorage),
 * reconnects by itself (what is typed meanwhile is sent once connected), shows quick-reply buttons, campus cards and a typing indicator, works by keyboard
 * alone and announces new messages to screen readers. Every text is inserted as text, never
 * as HTML; only http(s) addresses become links.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script.src, document.baseURI);
  var config = {
    server: script.getAttribute("data-server") || "http://localhost:5005",
    title: script.getAttribute("data-title") || "Orientation CMQ",
    color: script.getAttribute("data-color") || "#1d4ed8",
    open: script.getAttribute("data-open") === "true",
    socketPath: script.getAttribute("data-socket-path") || "/socket.io/",
  };
  var STORE = "cmq-widget:" + config.server;
  var WELCOME = {
    from: "bot",
    text: "Bonjour ! Je vous aide à trouver un Campus des métiers et des qualifications en Île-de-France. Que cherchez-vous ?",
    buttons: [
      { title: "Je cherche une formation", payload: "/start_guided_search" },
      { title: "Je ne sais pas quoi faire", payload: "/undecided" },
      { title: "C'est quoi un CMQ ?", payload: "/fact_definition" },
      { title: "Un BTS dans le 93", payload: "un BTS dans le 93" },
    ],
  };

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE) || "null");
      if (saved && saved.sessionId && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* a damaged store starts afresh */ }
    return { sessionId: newId(), messages: [WELCOME], open: config.open };
  }
  function save() {
    state.messages = state.messages.slice(-100);
    try { localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "s" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  var state = load();

  // ---- DOM --------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var style = el("link", { rel: "stylesheet", href: new URL("widget.css", base).href });
  document.head.appendChild(style);

  var root = el("div", { class: "cmq-widget" });
  root.style.setProperty("--cmq-color", config.color);
  var launcher = el("button", { class: "cmq-launcher", type: "button", "aria-expanded": "false",
                                "aria-controls": "cmq-panel" }, ["Discuter avec " + config.title]);
  var log = el("div", { class: "cmq-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
                        "aria-label": "Conversation", tabindex: "0" });
  var typing = el("div", { class: "cmq-typing", "aria-hidden": "true", hidden: "" },
                  [el("span"), el("span"), el("span")]);
  var status = el("div", { class: "cmq-status", role: "status" });
  var input = el("input", { class: "cmq-input", type: "text", maxlength: "1000", autocomplete: "off",
                            "aria-label": "Votre message", placeholder: "Écrivez votre question…" });
  var send = el("button", { class: "cmq-send", type: "submit" }, ["Envoyer"]);
  var form = el("form", { class: "cmq-form" }, [input, send]);
  var close = el("button", { class: "cmq-close", type: "button", "aria-label": "Fermer la conversation" }, ["×"]);
  var panel = el("section", { id: "cmq-panel", class: "cmq-panel", role: "dialog", "aria-label": config.title }, [
    el("div", { class: "cmq-header" }, [el("h2", {}, [config.title]), close]),
    log, typing, status, form,
  ]);
  root.appendChild(launcher);
  root.appendChild(panel);
  document.body.appendChild(root);

  function linkified(text) {
    var fragment = document.createDocumentFragment();
    var pattern = /https?:\/\/[^\s<>"')]+/g;
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      var address = match[0].replace(/[.,;:!?]+$/, "");
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      fragment.appendChild(el("a", { href: address, target: "_blank", rel: "noopener noreferrer" }, [address]));
      last = match.index + address.length;
      pattern.lastIndex = last;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  // A campus as a card: name, status badge, place, the CAP → doctorat scale, head of network.
  function card(facts) {
    var scale = el("ol", { class: "cmq-scale", "aria-label": facts.levels_title || "Niveaux" });
    (facts.levels || []).forEach(function (step) {
      scale.appendChild(el("li", { class: step.covered ? "cmq-step cmq-covered" : "cmq-step" }, [
        step.label, el("span", { class: "cmq-visually-hidden" }, [step.covered ? " : oui" : " : non"])]));
    });
    var parts = [
      el("h3", { class: "cmq-card-name" }, [facts.name]),
      el("span", { class: "cmq-badge cmq-badge-" + facts.status }, [facts.status_label]),
    ];
    if (facts.place) parts.push(el("p", { class: "cmq-card-place" }, [facts.place]));
    if ((facts.levels || []).length) {
      parts.push(el("p", { class: "cmq-card-label" }, [(facts.levels_title || "Niveaux") +
                                                        (facts.levels_unsure ? " (à confirmer)" : "")]));
      parts.push(scale);
    } else {
      parts.push(el("p", {}, ["Niveaux non précisés dans mes sources"]));
    }
    if (facts.lead) parts.push(el("p", {}, ["Tête de réseau : " + facts.lead]));
    if ((facts.to_check || []).length) {
      parts.push(el("p", { class: "cmq-card-check" }, ["À vérifier : " + facts.to_check.join(", ")]));
    }
    return el("div", { class: "cmq-card" }, parts);
  }

  function render(message, isLast) {
    var bubble = el("div", { class: "cmq-message cmq-" + message.from + (message.card ? " cmq-has-card" : "") });
    var speaker = el("span", { class: "cmq-visually-hidden" }, [message.from === "bot" ? "Assistant : " : "Vous : "]);
    bubble.appendChild(speaker);
    bubble.appendChild(message.card ? card(message.card) : linkified(message.text || ""));
    log.appendChild(bubble);
    if (message.buttons && message.buttons.length && isLast) {
      var group = el("div", { class: "cmq-buttons", role: "group", "aria-label": "Réponses proposées" });
      message.buttons.forEach(function (button) {
        var choice = el("button", { type: "button", class: "cmq-choice" }, [button.title]);
        choice.addEventListener("click", function () { userSays(button.title, button.payload); });
        group.appendChild(choice);
      });
      var campuses = campusesOf(message.buttons);
      if (campuses.length && window.CmqMap) {  // the page has the campus map: show these on it
        var onMap = el("button", { type: "button", class: "cmq-choice cmq-on-map" }, ["Voir sur la carte"]);
        onMap.addEventListener("click", function () { window.CmqMap.highlight(campuses); });
        group.appendChild(onMap);
      }
      log.appendChild(group);
    }
  }

  // The campuses a message's buttons lead to (their payloads name them: {"campus": "key"}).
  function campusesOf(buttons) {
    var keys = [];
    buttons.forEach(function (button) {
      var found = /"campus": ?"([a-z0-9-]+)"/.exec(button.payload || "");
      if (found && keys.indexOf(found[1]) < 0) keys.push(found[1]);
    });
    return keys;
  }

  function renderAll() {
    log.textContent = "";
    state.messages.forEach(function (message, index) { render(message, index === state.messages.length - 1); });
    log.scrollTop = log.scrollHeight;
  }

  function add(message) {
    var previous = log.querySelector(".cmq-buttons");
    if (previous) previous.remove();
    state.messages.push(message);
    save();
    render(message, true);
    log.scrollTop = log.scrollHeight;
  }

  // The card comes right after the text of the same answer (Rasa sends a custom payload second):
  // the card replaces that text on screen.
  function withCard(facts) {
    var last = state.messages[state.messages.length - 1];
    if (!last || last.from !== "bot") return;
    last.card = facts;
    save();
    renderAll();
  }

  function setOpen(open) {
    state.open = open;
    save();
    panel.hidden = !open;
    root.classList.toggle("cmq-is-open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) { input.focus(); log.scrollTop = log.scrollHeight; } else { launcher.focus(); }
  }

  // ---- socket.io ------------------------------------------------------------------------------
  var socket = null;
  var waiting = null;
  var unsent = [];  // what was typed before the connection was up: sent as soon as it is

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(waiting);
    if (on) waiting = setTimeout(function () { typing.hidden = true; }, 20000);
  }

  function connect() {
    socket = io(config.server, { path: config.socketPath, transports: ["websocket", "polling"],
                                 reconnection: true, reconnectionDelayMax: 5000 });
    socket.on("connect", function () {
      status.textContent = "";
      socket.emit("session_request", { session_id: state.sessionId });
      unsent.splice(0).forEach(function (message) { socket.emit("user_uttered", message); });
    });
    socket.on("disconnect", function () {
      status.textContent = "Connexion perdue, reconnexion en cours…";
    });
    socket.on("connect_error", function () {
      status.textContent = "L'assistant est injoignable pour le moment, nouvelle tentative en cours…";
    });
    socket.on("bot_uttered", function (message) {
      showTyping(false);
      if (message.type === "campus_card") { withCard(message); return; }
      var buttons = message.quick_replies || message.buttons || [];
      add({ from: "bot", text: message.text || "", buttons: buttons.map(function (b) {
        return { title: String(b.title), payload: String(b.payload) };
      }) });
    });
  }

  function userSays(text, payload) {
    text = text.trim();
    if (!text) return;
    add({ from: "user", text: text });
    showTyping(true);
    var message = { message: payload || text, session_id: state.sessionId };
    if (socket && socket.connected) {
      socket.emit("user_uttered", message);
    } else {
      unsent.push(message);
      status.textContent = "Connexion à l'assistant en cours : votre message partira dès qu'il répond.";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    userSays(text);
  });
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") setOpen(false); });

  // For the page around the widget (the campus map): open the chat and ask, as a button would.
  window.CmqWidget = {
    ask: function (text, payload) { setOpen(true); userSays(text, payload); }
  };

  renderAll();
  panel.hidden = !state.open;
  root.classList.toggle("cmq-is-open", state.open);
  launcher.setAttribute("aria-expanded", String(state.open));

  var client = document.createElement("script");
  client.src = new URL("vendor/socket.io.min.js", base).href;
  client.onload = connect;
  client.onerror = function () { status.textContent = "Le module de discussion n'a pas pu être chargé."; };
  document.head.appendChild(client);
})();
