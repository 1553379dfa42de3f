/* Store chat widget: one script tag plus an optional window.StoreChat config object (see README, "Chat widget").
 * Talks to Rasa's socketio channel through socket.io-client; all text is rendered with textContent. */
(function () {
  "use strict";
  if (window.StoreChatWidget) return;
  var LABELS = {
    title: "在线客服", launcher: "在线客服", close: "关闭客服窗口", log: "聊天记录", input: "输入消息",
    placeholder: "输入您的问题，按回车发送", send: "发送", typing: "客服正在输入…", connecting: "连接中…",
    online: "在线", offline: "连接已断开，正在重连…", addToCart: "加入购物车", added: "已加入购物车：",
    want: "我要这个：", view: "查看", unread: "条新消息", you: "我", bot: "客服"
  };
  var script = document.currentScript;
  var data = script ? script.dataset : {};
  var assetBase = script ? script.src.replace(/\/[^/]*$/, "") : "/static";
  var appOrigin = script ? new URL(script.src).origin : location.origin;
  var user = window.StoreChat || {};
  function option(name, fallback) {
    if (user[name] !== undefined) return user[name];
    return data[name] !== undefined && data[name] !== "" ? data[name] : fallback;
  }
  var config = {
    server: option("server", ""),
    storeId: String(option("storeId", "default")).replace(/[^A-Za-z0-9_-]/g, ""),
    socketPath: option("socketPath", "/socket.io/"),
    historyUrl: option("historyUrl", appOrigin + "/api/chat/{id}/history"),
    seenUrl: option("seenUrl", appOrigin + "/api/chat/{id}/seen"),
    sessionUrl: option("sessionUrl", appOrigin + "/api/chat/session"),
    handoffUrl: option("handoffUrl", appOrigin + "/api/chat/{id}/handoff"),
    productSku: option("productSku", ""),
    productUrl: option("productUrl", ""),
    greet: String(option("greet", true)) !== "false",
    open: String(option("open", false)) === "true",
    maxLength: Math.min(Number(option("maxLength", 500)) || 500, 500),
    position: option("position", "right") === "left" ? "left" : "right",
    labels: Object.assign({}, LABELS, user.labels || {})
  };
  var L = config.labels;

  /* ---- storage and session ---- */
  var memory = {};
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return memory[key] || null; } }
  function save(key, value) { try { localStorage.setItem(key, value); } catch (e) { memory[key] = value; } }
  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  /* The session id (the Rasa conversation id) and the signed token that proves it, issued by the web app and
   * kept together so a reload continues the same conversation; nobody else's id can be borrowed. */
  var SESSION_KEY = "storechat:" + config.storeId + ":session";
  var TOKEN_KEY = "storechat:" + config.storeId + ":token";
  var sessionId = load(SESSION_KEY);
  var sessionToken = load(TOKEN_KEY);
  var GREETED_KEY = "";
  var sessionReady = null;
  function session() {
    if (sessionReady) return sessionReady;
    if (/^[A-Za-z0-9_-]{8,64}$/.test(sessionId || "") && sessionToken) sessionReady = Promise.resolve();
    else {
      sessionReady = fetch(config.sessionUrl, { method: "POST" })
        .then(function (r) { if (!r.ok) throw new Error("session " + r.status); return r.json(); })
        .then(function (body) {
          sessionId = body.session_id; sessionToken = body.token;
          save(SESSION_KEY, sessionId); save(TOKEN_KEY, sessionToken);
        });
    }
    sessionReady = sessionReady.then(function () {
      GREETED_KEY = "storechat:" + config.storeId + ":greeted:" + sessionId;
      return { id: sessionId, token: sessionToken };
    });
    return sessionReady;
  }

  /* ---- DOM ---- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  var host = el("div", { id: "storechat", className: "storechat-" + config.position });
  host.hidden = true;
  var root = host.attachShadow({ mode: "open" });
  var css = el("link", { rel: "stylesheet", href: assetBase + "/widget.css" });
  css.addEventListener("load", function () { host.hidden = false; });
  css.addEventListener("error", function () { host.hidden = false; });
  var badge = el("span", { className: "sc-badge", hidden: "" });
  function chatIcon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "sc-icon");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }
  var launcher = el("button", { type: "button", className: "sc-launcher", "aria-expanded": "false",
    "aria-controls": "sc-panel" }, [chatIcon(), el("span", { text: L.launcher }), badge]);
  var preview = el("button", { type: "button", className: "sc-preview", hidden: "" });
  var status = el("span", { className: "sc-status", role: "status", text: L.connecting });
  var closeButton = el("button", { type: "button", className: "sc-close", "aria-label": L.close, text: "×" });
  var log = el("div", { className: "sc-log", role: "log", "aria-live": "polite", "aria-label": L.log, tabindex: "0" });
  var typing = el("div", { className: "sc-typing", role: "status", hidden: "" }, [
    el("span", { className: "sc-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
    el("span", { className: "sc-typing-text", text: L.typing })]);
  var input = el("textarea", { id: "sc-input", rows: "1", maxlength: String(config.maxLength),
    placeholder: L.placeholder, "aria-describedby": "sc-count", enterkeyhint: "send" });
  var count = el("span", { id: "sc-count", className: "sc-count", hidden: "" });
  function updateCount() {
    count.textContent = input.value.length + "/" + config.maxLength;
    count.hidden = !input.value;
  }
  var sendButton = el("button", { type: "submit", className: "sc-send", text: L.send });
  var form = el("form", { className: "sc-form" }, [el("label", { for: "sc-input", className: "sc-sr", text: L.input }),
    input, count, sendButton]);
  /* Who answers: an AI label at all times, a 转人工 control at all times, the handoff state (texts from the
   * script library through the handoff endpoint). */
  var aiLabel = el("p", { className: "sc-ai-label" });
  var humanButton = el("button", { type: "button", className: "sc-human" });
  var handoffStatus = el("p", { className: "sc-handoff", role: "status", hidden: "" });
  var panel = el("section", { id: "sc-panel", className: "sc-panel", role: "dialog", "aria-label": L.title, hidden: "" }, [
    el("header", { className: "sc-header" }, [el("h2", { text: L.title }), status, humanButton, closeButton]),
    aiLabel, handoffStatus, log, typing, form]);
  root.append(css, panel, preview, launcher);

  /* ---- rendering ---- */
  var URL_PATTERN = /https?:\/\/[^\s，。！？、；：）)“”"'<>]+/g;
  function textWithLinks(value) {
    var text = String(value);
    var p = el("p", { className: "sc-text" });
    var last = 0;
    text.replace(URL_PATTERN, function (url, index) {
      var href = resolve(url, location.href);
      if (!href) return url;
      p.appendChild(document.createTextNode(text.slice(last, index)));
      var link = el("a", { href: href, text: url, rel: "noopener noreferrer" });
      if (new URL(href).origin !== location.origin) link.setAttribute("target", "_blank");
      p.appendChild(link);
      last = index + url.length;
      return url;
    });
    p.appendChild(document.createTextNode(text.slice(last)));
    return p;
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function bubble(role, children, extraClass, speaker) {
    var item = el("div", { className: "sc-msg sc-" + role + (extraClass ? " " + extraClass : "") }, [speaker ? el("span", { className: "sc-speaker", text: speaker })
      : el("span", { className: "sc-sr", text: role === "user" ? L.you + "：" : L.bot + "：" })]);
    children.forEach(function (child) { if (child) item.appendChild(child); });
    log.appendChild(item);
    scrollDown();
    return item;
  }
  function quickReplies(buttons) {
    var group = el("div", { className: "sc-quick", role: "group" });
    buttons.forEach(function (b) {
      var button = el("button", { type: "button", className: "sc-chip", text: b.title });
      button.addEventListener("click", function () { send(b.payload || b.title, { display: b.title }); });
      group.appendChild(button);
    });
    return group;
  }
  function resolve(url, base) {
    try { var u = new URL(url, base); return /^https?:$/.test(u.protocol) ? u.href : ""; } catch (e) { return ""; }
  }
  function addToCart(card) {
    var hook = (window.StoreChat || {}).onAddToCart;
    var item = { sku: card.sku, name: card.name, price: card.price, image: resolve(card.image || "", appOrigin) };
    if (typeof hook === "function") { hook(item); note(L.added + card.name); return; }
    var event = new CustomEvent("storechat:add-to-cart", { detail: item, cancelable: true });
    window.dispatchEvent(event);
    if (event.defaultPrevented) note(L.added + card.name);
    else send(card.payload || L.want + card.name, { display: L.want + card.name });
  }
  function productCards(cards) {
    var list = el("ul", { className: "sc-cards" });
    cards.forEach(function (card) {
      var image = el("img", { alt: "", src: resolve(card.image || "", appOrigin) || assetBase + "/favicon.svg", loading: "lazy" });
      var link = config.productUrl && resolve(config.productUrl.replace("{sku}", encodeURIComponent(card.sku)), location.href);
      var name = link ? el("a", { href: link, className: "sc-card-name", text: card.name })
        : el("span", { className: "sc-card-name", text: card.name });
      var add = el("button", { type: "button", className: "sc-add", text: L.addToCart, "aria-label": L.addToCart + "：" + card.name });
      add.addEventListener("click", function () { addToCart(card); });
      list.appendChild(el("li", { className: "sc-card", "data-sku": card.sku }, [image, name,
        el("span", { className: "sc-price", text: "¥" + card.price }),
        card.reason ? el("span", { className: "sc-reason", text: card.reason }) : null, add]));
    });
    return list;
  }
  function renderBot(message, live) {
    var buttons = message.quick_replies || message.buttons || [];
    var custom = message.custom || {};
    var parts = [message.text ? textWithLinks(message.text) : null,
      custom.type === "product_cards" && Array.isArray(custom.cards) ? productCards(custom.cards) : null,
      buttons.length && live ? quickReplies(buttons) : null];
    var meta = message.metadata || {};
    var human = meta.human_agent; /* a human agent's reply (bot/handoff/workspace.py) */
    if (parts.some(Boolean)) bubble(human ? "agent" : "bot", parts, message.unread ? "sc-unread" : "", human ? human + " · " + (handoffLabels.agent_tag || "") : "");
    if (live) { clearTimeout(handoffTimer); handoffTimer = setTimeout(refreshHandoff, 300); }
  }
  var handoffLabels = {};
  var handoffTimer = null;
  function refreshHandoff() {
    if (!config.handoffUrl || !sessionId) return;
    clearTimeout(handoffTimer);
    var url = config.handoffUrl.replace("{id}", encodeURIComponent(sessionId));
    fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(sessionToken))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) return;
        handoffLabels = body.labels || {};
        aiLabel.textContent = handoffLabels.ai_label || "";
        humanButton.textContent = handoffLabels.human_button || "";
        humanButton.hidden = !handoffLabels.human_button;
        handoffStatus.textContent = body.status_text || "";
        handoffStatus.hidden = !body.status_text;
        handoffStatus.dataset.state = body.state;
        if (body.state !== "bot") handoffTimer = setTimeout(refreshHandoff, 4000);
      }).catch(function () {});
  }
  humanButton.hidden = true;
  humanButton.addEventListener("click", function () { send("/request_human", { display: humanButton.textContent }); });
  function note(text) { bubble("note", [el("p", { className: "sc-text", text: text })]); }
  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".sc-quick"), function (g) { g.remove(); });
  }

  /* ---- panel ---- */
  var unread = 0;
  /* Messages the store pushed while the shopper was away (reminders) count as seen only once the panel shows
   * them: the server is told then, so a later visit does not show them as new again. */
  function markSeen() {
    if (!config.seenUrl || !sessionId || !sessionToken) return;
    var url = config.seenUrl.replace("{id}", encodeURIComponent(sessionId));
    fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(sessionToken), { method: "POST" })
      .catch(function () { /* the next open tries again */ });
  }
  function setOpen(open, quiet) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    save("storechat:" + config.storeId + ":open", open ? "1" : "0");
    if (open && unread) markSeen();
    if (open) { unread = 0; badge.hidden = true; preview.hidden = true; scrollDown(); if (!quiet) input.focus(); }
  }
  function showUnread(text) {
    unread += 1;
    badge.textContent = String(unread);
    badge.setAttribute("aria-label", unread + " " + L.unread);
    badge.hidden = false;
    preview.textContent = text.length > 60 ? text.slice(0, 60) + "…" : text;
    preview.hidden = false;
  }
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  preview.addEventListener("click", function () { setOpen(true); });
  closeButton.addEventListener("click", function () { setOpen(false); launcher.focus(); });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { setOpen(false); launcher.focus(); }
  });

  /* ---- conversation ---- */
  var socket = null;
  var activity = 0; /* messages sent or received; a history redraw never replaces newer live messages */
  var typingTimer = null;
  var lastTyping = 0;
  var awaitingReply = false; /* a bot message that arrives unasked was pushed by the store */
  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, 30000);
  }
  function metadata(extra) {
    var context = {};
    var getContext = (window.StoreChat || {}).getContext;
    if (typeof getContext === "function") context = getContext() || {};
    if (config.productSku) context.product_sku = config.productSku;
    return Object.assign(context, extra);
  }
  function send(text, options) {
    options = options || {};
    text = String(text || "").trim().slice(0, config.maxLength);
    if (!text || !socket) return;
    activity += 1;
    var extra = {};
    if (options.display) extra.display_text = options.display;
    if (options.hidden) extra.hidden = true;
    else {
      awaitingReply = true;
      clearQuickReplies();
      bubble("user", [el("p", { className: "sc-text", text: options.display || text })]);
      setTyping(handoffStatus.dataset.state !== "waiting");   /* nobody types while the shopper waits in line */
    }
    socket.emit("user_uttered", { message: text, session_id: sessionId, metadata: metadata(extra) });
  }
  function onBot(message) {
    if (!message || typeof message !== "object") return;
    activity += 1;
    setTyping(false);
    renderBot(message, true);
    var pushed = !awaitingReply;
    awaitingReply = false;
    if (panel.hidden) showUnread(message.text || L.bot);
    else if (pushed) markSeen();
  }
  function loadHistory() {
    if (!config.historyUrl) return Promise.resolve(0);
    var seen = activity;
    var url = config.historyUrl.replace("{id}", encodeURIComponent(sessionId));
    return fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(sessionToken))
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (body) {
        var messages = Array.isArray(body.messages) ? body.messages : [];
        if (activity !== seen) return messages.length;
        log.replaceChildren();
        messages.forEach(function (m, i) {
          if (m.role === "user") bubble("user", [el("p", { className: "sc-text", text: m.text })]);
          else renderBot(m.agent ? Object.assign({}, m, { metadata: { human_agent: m.agent } }) : m, i === messages.length - 1);
        });
        var waiting = messages.filter(function (m) { return m.role === "bot" && m.unread; });
        if (waiting.length && panel.hidden) {
          unread = 0;
          waiting.forEach(function (m) { showUnread(m.text || L.bot); });
        } else if (waiting.length) markSeen();
        return messages.length;
      }).catch(function () { return 0; });
  }
  function connect(historyCount) {
    if (!window.io || !config.server) { status.textContent = L.offline; return; }
    var connectedBefore = false;
    socket = window.io(config.server, { path: config.socketPath, transports: ["polling"], upgrade: false,
      auth: { token: sessionToken } });
    socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId }); });
    socket.on("session_confirm", function () {
      status.textContent = L.online;
      if (connectedBefore) { loadHistory(); return; }
      connectedBefore = true;
      if (config.greet && !historyCount && !load(GREETED_KEY)) { save(GREETED_KEY, "1"); send("/greet", { hidden: true }); }
    });
    socket.on("bot_uttered", onBot);
    refreshHandoff();
    socket.on("disconnect", function () { status.textContent = L.offline; });
    socket.on("connect_error", function () { status.textContent = L.offline; });
  }
  function loadClient() {
    if (window.io) return Promise.resolve();
    return new Promise(function (done) {
      var tag = el("script", { src: assetBase + "/vendor/socket.io.min.js" });
      tag.addEventListener("load", done);
      tag.addEventListener("error", done);
      document.head.appendChild(tag);
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    send(input.value);
    input.value = "";
    updateCount();
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); form.requestSubmit(); }
  });
  input.addEventListener("input", function () {
    updateCount();
    var now = Date.now();
    if (socket && now - lastTyping > 3000) { lastTyping = now; socket.emit("user_typing", { session_id: sessionId }); }
  });

  window.StoreChatWidget = {
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    send: function (text) { send(text); },
    sessionId: function () { return sessionId; },
    session: session,
    setContext: function (context) { if (context && "productSku" in context) config.productSku = context.productSku || ""; }
  };
  function start() {
    document.body.appendChild(host);
    setOpen(config.open || load("storechat:" + config.storeId + ":open") === "1", true);
    session().then(function () { return Promise.all([loadHistory(), loadClient()]); })
      .then(function (results) { connect(results[0]); }, function () { status.textContent = L.offline; });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
