/* Quality review of human replies: findings per agent per day, the worst chats, a chat into a training draft. */
(function () {
  "use strict";
  var csrf = (document.cookie.match(/(?:^|;\s*)store_csrf=([^;]+)/) || [])[1] || "";
  var RULES = { flat_refusal: "生硬拒绝", blame: "争辩指责", unreframed_negative: "否定无替代", repeat: "重复话术",
    no_apology: "投诉未道歉", bare_price_cut: "无条件降价", no_warmth: "缺少语气词" };
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }
  function rules(map) { return Object.keys(map).map(function (k) { return (RULES[k] || k) + "×" + map[k]; }).join("、"); }
  function error(message) { var p = document.getElementById("error"); p.textContent = message || ""; p.hidden = !message; }
  function toDraft(id, button) {
    fetch("/api/quality/" + encodeURIComponent(id) + "/draft", { method: "POST", body: "{}",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf } })
      .then(function (r) { return r.json().then(function (d) { if (!r.ok) throw new Error(d.error); return d; }); })
      .then(function (d) { button.replaceWith(document.createTextNode("已生成训练草稿：" + d.draft)); })
      .catch(function (e) { error("生成草稿失败：" + e.message); });
  }
  function load() {
    var days = document.getElementById("days").value;
    fetch("/api/quality?days=" + days).then(function (r) { return r.json(); }).then(function (data) {
      var overdue = document.querySelector("#overdue-table tbody");
      overdue.replaceChildren.apply(overdue, (data.overdue || []).map(function (h) {
        var tr = document.createElement("tr");
        [h.conversation_id.slice(0, 8), h.reason_label || h.reason, Math.round(h.waiting_seconds / 60) + "分钟",
          (h.summary.last_messages || []).slice(-1)[0] || ""].forEach(function (v) { tr.appendChild(cell(String(v))); });
        return tr;
      }));
      var body = document.querySelector("#days-table tbody");
      body.replaceChildren.apply(body, (data.days || []).map(function (d) {
        var tr = document.createElement("tr");
        [d.day, d.agent, d.replies, d.flagged, d.findings, rules(d.rules)].forEach(function (v) { tr.appendChild(cell(String(v))); });
        return tr;
      }));
      var worst = document.querySelector("#worst-table tbody");
      worst.replaceChildren.apply(worst, (data.worst || []).map(function (c) {
        var tr = document.createElement("tr");
        tr.dataset.conversation = c.conversation_id;
        var example = (c.examples[0] || {});
        [c.conversation_id.slice(0, 8), c.agents.join("、"), c.replies, c.findings,
          (example.text || "") + (example.rules ? "（" + example.rules.map(function (r) { return RULES[r] || r; }).join("、") + "）" : "")]
          .forEach(function (v) { tr.appendChild(cell(String(v))); });
        var td = document.createElement("td");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = "生成训练场景草稿";
        button.addEventListener("click", function () { toDraft(c.conversation_id, button); });
        td.appendChild(button);
        tr.appendChild(td);
        return tr;
      }));
    }).catch(function (e) { error(e.message); });
  }
  document.getElementById("days").addEventListener("change", load);
  load();
})();
