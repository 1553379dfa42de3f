// Simulation-mode page: chat with the simulated shopper; replies are timed in the browser and on the server.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let ui = {}, outcomes = {}, session = null, shownAt = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Staff pages are behind a login; POSTs carry the CSRF value of the session (cookie store_csrf).
  const csrf = (document.cookie.match(/(?:^|;\s*)store_csrf=([^;]+)/) || [])[1] || "";

  async function api(path, body) {
    const res = await fetch(path, body === undefined ? {} : {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}, body: JSON.stringify(body)});
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || res.statusText);
    return data;
  }

  function showError(err) { $("error").hidden = !err; $("error").textContent = err ? String(err.message || err) : ""; }

  function addLine(line) {
    if (!line) return;
    if (line.note) $("log").append(el("li", "note", line.note));
    if (line.text) {
      const item = el("li", line.end ? "shopper end" : "shopper");
      item.append(el("strong", null, `${ui.shopper || ""}：`), document.createTextNode(line.text));
      if (line.end && outcomes[line.end]) item.append(el("span", "meta", outcomes[line.end]));
      $("log").append(item);
    }
    shownAt = performance.now();
    $("reply").focus();
  }

  function findingNode(f) {
    const node = el("span", `finding ${f.severity}`);
    node.append(el("strong", null, `${f.title}：`), document.createTextNode(f.explanation));
    if (f.better_text) node.append(el("span", "better", `${ui.better || ""}：${f.better_text}`));
    return node;
  }

  async function start(event) {
    event.preventDefault();
    showError(null);
    try {
      const data = await api("/api/training/sessions", {scenario: $("scenario").value, trainee: $("trainee").value});
      session = data.session_id;
      $("log").replaceChildren();
      $("scorecard").hidden = true;
      $("practice").hidden = false;
      $("persona").textContent = `${ui.persona || ""}：${data.scenario.persona.name} — ${data.scenario.persona.profile}`;
      addLine(data.shopper);
    } catch (err) { showError(err); }
  }

  async function send(event) {
    event.preventDefault();
    const text = $("reply").value.trim();
    if (!text || !session) return;
    const clientSeconds = Math.round(performance.now() - shownAt) / 1000;
    $("reply").value = "";
    const item = el("li", "trainee", text);
    $("log").append(item);
    try {
      const data = await api(`/api/training/sessions/${session}/replies`, {text, client_seconds: clientSeconds});
      item.append(el("span", "meta", `${ui.server_time || ""} ${data.reply.seconds}${ui.seconds || "s"} · ` +
                                    `${ui.browser_time || ""} ${clientSeconds}${ui.seconds || "s"}`));
      data.reply.findings.forEach((f) => item.append(findingNode(f)));
      addLine(data.shopper);
      if (data.done) await finish();
    } catch (err) { showError(err); }
  }

  async function finish() {
    if (!session) return;
    const id = session;
    session = null;
    try { renderScorecard(await api(`/api/training/sessions/${id}/finish`, {})); } catch (err) { showError(err); }
  }

  function renderScorecard(card) {
    const box = $("scorecard");
    box.replaceChildren();
    box.append(el("h2", null, card.title));
    const verdict = card.passed ? (ui.passed || "") : (ui.failed || "");
    box.append(el("p", `total ${card.passed ? "passed" : "failed"}`,
                  `${ui.total || ""} ${card.total}/100 · ${ui.pass_mark || ""} ${card.pass_mark} · ${verdict}`));
    box.append(el("p", null, outcomes[card.outcome] || card.outcome));
    box.append(el("h3", null, ui.checkpoints || ""));
    const list = el("ul", "checkpoints");
    card.checkpoints.forEach((c) => {
      const li = el("li", c.passed ? "passed" : "failed", `${c.passed ? "✔" : "✘"} ${c.title} (${c.score}/${c.weight})`);
      if (c.better_text) li.append(el("span", "better", `${ui.better || ""}：${c.better_text}`));
      list.append(li);
    });
    box.append(list);
    const t = card.timing;
    if (t.server.first !== null) {
      box.append(el("p", null, `${ui.first_reply || ""}：${ui.server_time || ""} ${t.server.first}${ui.seconds || "s"}` +
        (t.browser.first !== null ? ` · ${ui.browser_time || ""} ${t.browser.first}${ui.seconds || "s"}` : "") +
        ` · ${ui.mean_reply || ""} ${t.server.mean}${ui.seconds || "s"}`));
    }
    const again = el("button", null, ui.again || "");
    again.type = "button";
    again.addEventListener("click", () => { box.hidden = true; $("practice").hidden = true; });
    box.append(again);
    box.hidden = false;
    $("practice").hidden = true;
  }

  async function init() {
    try {
      const data = await api("/api/training/scenarios");
      ui = data.ui; outcomes = data.outcomes;
      document.querySelectorAll("[data-ui]").forEach((node) => { node.textContent = ui[node.dataset.ui] || ""; });
      document.title = ui.page_title || document.title;
      $("reply").placeholder = ui.placeholder || "";
      data.scenarios.forEach((s) => $("scenario").append(new Option(`${s.title}（${s.skill}）`, s.id)));
    } catch (err) { showError(err); }
    $("setup").addEventListener("submit", start);
    $("composer").addEventListener("submit", send);
    $("finish").addEventListener("click", finish);
    $("reply").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("composer").requestSubmit(); }
    });
  }

  init();
})();
