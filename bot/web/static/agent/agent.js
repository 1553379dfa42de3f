/* Agent workspace (客服工作台): the queue, claimed chats, replies with a live rule check, suggestions.
 * Polls the staff API (the session cookie; POSTs carry the CSRF value); all text goes in with textContent. */
(function () {
  "use strict";
  var csrf = (document.cookie.match(/(?:^|;\s*)store_csrf=([^;]+)/) || [])[1] || "";
  var INTENTS = { greet: "打招呼", goodbye: "道别", thank: "感谢", affirm: "肯定", deny: "否定", ask_product_info: "问商品",
    ask_price: "问价格", bargain: "讲价", ask_discount: "问优惠", ask_stock: "问库存", ask_size: "问尺码", ask_shipping: "问物流",
    dislike_product: "不喜欢", hesitate: "犹豫", want_buy: "想买", ask_recommendation: "要推荐", order_status: "查订单",
    payment_problem: "付款问题", cancel_order: "取消订单", complain: "投诉", return_refund: "退换货", request_human: "转人工",
    out_of_scope: "闲聊", nlu_fallback: "没听懂", provide_info: "补充信息", browse_products: "逛商品", ask_scene: "问场景" };
  var RULES = { flat_refusal: "生硬拒绝", blame: "争辩指责", unreframed_negative: "否定无替代", repeat: "重复话术",
    no_apology: "投诉未道歉", bare_price_cut: "无条件降价", no_warmth: "缺少语气词" };
  var $ = function (id) { return document.getElementById(id); };
  var state = { me: "", items: [], selected: null, seen: {}, lastShopper: {}, checkTimer: null, checkSeq: 0 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function api(path, body) {
    var options = body === undefined ? {} : { method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf } };
    return fetch(path, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.status === 401) { location.href = "/login?next=/agent"; }
        if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
        return data;
      });
    });
  }
  function showError(message) { $("error").textContent = message || ""; $("error").hidden = !message; }
  function waited(seconds) {
    seconds = Math.round(seconds);
    return seconds < 60 ? seconds + "秒" : Math.floor(seconds / 60) + "分" + (seconds % 60) + "秒";
  }

  /* ---- queue ---- */
  function itemNode(item) {
    var li = el("li");
    li.dataset.conversation = item.conversation_id;
    if (item.conversation_id === state.selected) li.classList.add("selected");
    if (state.lastShopper[item.conversation_id] > (state.seen[item.conversation_id] || 0)) li.classList.add("fresh");
    var head = el("div");
    if (item.urgent) head.appendChild(el("span", "urgent", "紧急"));
    head.appendChild(el("strong", null, item.reason_label || item.reason));
    li.appendChild(head);
    var words = (item.summary.last_messages || []).slice(-1)[0] || "";
    li.appendChild(el("div", null, words));
    var meta = el("div", "meta", (item.status === "waiting" ? "已等待 " : "接待中 ") + waited(item.waiting_seconds) +
      (item.mode === "message" ? " · 留言" : "") + (item.agent && item.agent !== state.me ? " · " + item.agent : ""));
    li.appendChild(meta);
    if (item.overdue) li.appendChild(el("div", "overdue", "超时未接入，已提醒店长"));
    if (item.status === "waiting") {
      var claim = el("button", "claim", "接入");
      claim.type = "button";
      claim.addEventListener("click", function (e) { e.stopPropagation(); claimConversation(item.conversation_id); });
      li.appendChild(claim);
    }
    li.addEventListener("click", function () { select(item.conversation_id); });
    return li;
  }
  function renderQueue() {
    var waiting = state.items.filter(function (i) { return i.status === "waiting"; });
    var mine = state.items.filter(function (i) { return i.status === "claimed" && i.agent === state.me; });
    var others = state.items.filter(function (i) { return i.status === "claimed" && i.agent !== state.me; });
    $("waiting-count").textContent = String(waiting.length);
    [["waiting", waiting], ["mine", mine], ["others", others]].forEach(function (pair) {
      $(pair[0]).replaceChildren.apply($(pair[0]), pair[1].map(itemNode));
    });
  }
  function refreshQueue() {
    return Promise.all([api("/api/handoffs"), api("/api/agent/status")]).then(function (answers) {
      var status = answers[1];
      state.me = status.me;
      state.items = answers[0] || [];
      $("me").textContent = "我：" + status.my_name;
      $("online").textContent = "在线客服 " + (status.online_agents || []).length + " 人";
      showError("");
      renderQueue();
    }).catch(function (e) { showError("队列刷新失败：" + e.message); });
  }
  function current() {
    return state.items.filter(function (i) { return i.conversation_id === state.selected; })[0] || null;
  }
  function claimConversation(id) {
    api("/api/handoffs/" + encodeURIComponent(id) + "/claim", {}).then(function () {
      state.selected = id;
      return refreshQueue();
    }).then(function () { loadConversation(true); }).catch(function (e) { showError("接入失败：" + e.message); });
  }

  /* ---- one conversation ---- */
  function select(id) {
    state.selected = id;
    renderQueue();
    loadConversation(true);
  }
  function renderHistory(entries) {
    var list = $("history");
    var seen = state.seen[state.selected] || 0;
    list.replaceChildren();
    var shopperCount = 0;
    entries.forEach(function (entry) {
      var li = el("li", entry.role);
      var who = { shopper: "顾客", bot: "机器人", agent: (entry.agent || "客服") + "（人工）", notice: "" }[entry.role];
      if (who) li.appendChild(el("span", "who", who));
      if (entry.text) li.appendChild(document.createTextNode(entry.text));
      if (entry.cards && entry.cards.length) {
        var cards = el("div", "cards");
        entry.cards.forEach(function (c) { cards.appendChild(el("span", null, c.name + " ¥" + c.price)); });
        li.appendChild(cards);
      }
      if (entry.role === "shopper") { shopperCount += 1; if (shopperCount > seen && seen > 0) li.classList.add("new"); }
      list.appendChild(li);
    });
    list.scrollTop = list.scrollHeight;
    return shopperCount;
  }
  function renderContext(data) {
    var box = $("context");
    var dl = el("dl");
    function row(term, value) { if (!value) return; dl.appendChild(el("dt", null, term)); dl.appendChild(el("dd", null, value)); }
    var h = data.handoff || {};
    row("转人工原因", h.reason_label || h.reason);
    row("机器人摘要", ((h.summary || {}).intents || []).map(function (i) { return INTENTS[i] || i; }).join(" → "));
    row("正在看的商品", data.product ? data.product.name + " ¥" + data.product.price + "（库存 " + data.product.stock + "）" : "");
    row("浏览过", (data.viewed || []).map(function (p) { return p.name; }).join("、"));
    row("购物车", (data.cart || []).join("、"));
    if (data.order) row("最近订单", data.order.order_id + " · " + data.order.status + " · ¥" + data.order.total);
    box.replaceChildren(dl);
  }
  function loadConversation(fresh) {
    var id = state.selected;
    if (!id) return Promise.resolve();
    return api("/api/handoffs/" + encodeURIComponent(id)).then(function (data) {
      if (id !== state.selected) return;
      var item = current();
      var mine = item && item.status === "claimed" && item.agent === state.me;
      $("chat-title").textContent = "会话 " + id.slice(0, 8) + (mine ? "（我在接待）" : "");
      $("composer").hidden = !mine;
      $("claim-current").hidden = !(item && item.status === "waiting");
      var count = renderHistory(data.history || []);
      var grew = count > (state.lastShopper[id] || 0);
      state.lastShopper[id] = count;
      state.seen[id] = count;
      renderContext(data);
      if (fresh || grew) loadSuggestions();
    }).catch(function (e) { showError("会话加载失败：" + e.message); });
  }
  function pollOthers() {
    /* new shopper messages in my other chats light up in the list */
    state.items.filter(function (i) { return i.agent === state.me && i.conversation_id !== state.selected; })
      .forEach(function (item) {
        api("/api/handoffs/" + encodeURIComponent(item.conversation_id)).then(function (data) {
          var count = (data.history || []).filter(function (e) { return e.role === "shopper"; }).length;
          if (state.seen[item.conversation_id] === undefined) state.seen[item.conversation_id] = count;
          state.lastShopper[item.conversation_id] = count;
          renderQueue();
        }).catch(function () {});
      });
  }

  /* ---- assist ---- */
  function insert(text) {
    var draft = $("draft");
    draft.value = text;
    draft.focus();
    scheduleCheck();
  }
  function loadSuggestions() {
    var id = state.selected;
    api("/api/handoffs/" + encodeURIComponent(id) + "/suggestions").then(function (items) {
      if (id !== state.selected) return;
      var list = $("suggestions");
      list.replaceChildren();
      items.forEach(function (s) {
        var li = el("li");
        var label = s.source === "knowledge" ? "知识库" : s.source === "script" ? "话术库" :
          "推荐商品 · " + ({ "recommendation:substitute": "替代", "recommendation:complementary": "互补",
            "recommendation:latent": "潜在" }[s.source] || "");
        li.appendChild(el("span", "source", label));
        li.appendChild(el("span", null, s.text));
        var use = el("button", "insert", s.card ? "插入并附卡片" : "插入");
        use.type = "button";
        use.addEventListener("click", function () { state.cards = s.card ? [s.card.sku] : []; insert(s.text); });
        li.appendChild(use);
        list.appendChild(li);
      });
    }).catch(function () {});
  }
  function renderFindings(findings, sent) {
    var box = $("checks");
    box.replaceChildren();
    if (!findings.length) { if ($("draft").value.trim() || sent) box.appendChild(el("p", "ok", sent ? "已发送" : "符合服务规范")); return; }
    findings.forEach(function (f) {
      var div = el("div", "finding " + f.severity);
      div.dataset.rule = f.rule;
      div.appendChild(el("strong", null, f.reason || RULES[f.rule] || f.rule));
      if (f.better) {
        div.appendChild(el("div", "better", "更好的说法：" + f.better));
        if (!sent) {
          var use = el("button", null, "用这句");
          use.type = "button";
          use.addEventListener("click", function () { insert(f.better); });
          div.appendChild(use);
        }
      }
      box.appendChild(div);
    });
    if (sent) box.appendChild(el("p", "ok", "已发送（以上问题已记录到质检）"));
  }
  function scheduleCheck() {
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(function () {
      var seq = ++state.checkSeq;
      var text = $("draft").value;
      if (!text.trim()) { renderFindings([]); return; }
      api("/api/assist/check", { text: text, conversation_id: state.selected }).then(function (data) {
        if (seq === state.checkSeq) renderFindings(data.findings || []);
      }).catch(function () {});
    }, 250);
  }
  $("draft").addEventListener("input", function () { if (!$("draft").value) state.cards = []; scheduleCheck(); });
  $("draft").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); $("composer").requestSubmit(); }
  });
  $("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("draft").value.trim();
    if (!text || !state.selected) return;
    var body = { text: text };
    if (state.cards && state.cards.length) body.cards = state.cards;
    state.checkSeq += 1;
    api("/api/handoffs/" + encodeURIComponent(state.selected) + "/messages", body).then(function (data) {
      $("draft").value = "";
      state.cards = [];
      renderFindings(data.findings || [], true);
      loadConversation(false);
    }).catch(function (e) { showError("发送失败：" + e.message); });
  });
  $("release").addEventListener("click", function () {
    var id = state.selected;
    api("/api/handoffs/" + encodeURIComponent(id) + "/release", {}).then(function () {
      state.selected = null;
      $("composer").hidden = true;
      $("chat-title").textContent = "已交回机器人";
      return refreshQueue();
    }).catch(function (e) { showError("交回失败：" + e.message); });
  });
  $("claim-current").addEventListener("click", function () { claimConversation(state.selected); });
  $("offline").addEventListener("click", function () {
    api("/api/agent/offline", {}).then(function () { location.href = "/login?next=/agent"; })
      .catch(function (e) { showError(e.message); });
  });

  function tick() {
    refreshQueue().then(function () { return loadConversation(false); }).then(pollOthers)
      .finally(function () { setTimeout(tick, 1500); });
  }
  tick();
})();
