"""The manager's page of unanswered questions (Chinese): groups most frequent first, each drafts a bank entry."""
from __future__ import annotations

import json
from html import escape

from bot.knowledge.unanswered import Group

DRAFT_SCRIPT = """
document.querySelectorAll('form.draft').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var lines = function (name) { return form[name].value.split('\\n').map(function (s) { return s.trim(); })
                                          .filter(Boolean); };
    var entry = {id: form.entry_id.value.trim(), questions: lines('questions'), answer: form.answer.value.trim()};
    var products = form.products.value.split(/[,，\\s]+/).filter(Boolean);
    if (products.length) entry.products = products;
    var csrf = (document.cookie.match(/(?:^|;\\s*)store_csrf=([^;]+)/) || [])[1] || '';
    fetch('/api/knowledge/entries', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
      body: JSON.stringify({entry: entry, ids: JSON.parse(form.dataset.ids)})})
      .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
      .then(function (res) {
        var out = form.querySelector('.result');
        out.textContent = res[0] === 201 ? '已保存，2 秒内生效：' + res[1].saved : (res[1].errors || []).join('\\n');
        out.className = 'result ' + (res[0] === 201 ? 'ok' : 'bad');
      });
  });
});
"""


def _group_card(group: Group) -> str:
    examples = "".join(f"<li>{escape(e)}</li>" for e in group.examples)
    replies = "".join(f"<li>{escape(r)}</li>" for r in group.agent_replies)
    agent = f"<p>人工客服的回复：</p><ul>{replies}</ul>" if replies else ""
    return f"""<section class="group"><h3>{escape(group.text)} <small>（{group.count} 次，最近
{escape(group.last_seen.strftime('%Y-%m-%d %H:%M'))}）</small></h3><ul>{examples}</ul>{agent}
<form class="draft" data-ids="{escape(json.dumps(list(group.ids)))}">
<label>问答编号（小写字母、数字、下划线）<input name="entry_id" required pattern="[a-z0-9_]+"></label>
<label>顾客问法（每行一个）<textarea name="questions" rows="4">{escape(chr(10).join(group.examples))}</textarea></label>
<label>回复话术<textarea name="answer" rows="3" required>{escape(group.agent_replies[-1] if group.agent_replies else '')}</textarea></label>
<label>适用商品 SKU（可选，逗号分隔）<input name="products"></label>
<button>保存为问答</button><pre class="result"></pre></form></section>"""


def knowledge_page(open_groups: list[Group], answered: list[Group]) -> str:
    """The body of the page (inside the console shell)."""
    cards = "".join(_group_card(g) for g in open_groups) or "<p class='ok'>暂时没有待处理的问题。</p>"
    done = "".join(f"<li>{escape(g.text)}（{g.count} 次）→ <code>{escape(g.answered_by or '')}</code></li>"
                   for g in answered) or "<li>还没有</li>"
    return f"""<p>相似的问题已合并，按出现次数排序。填写编号和回复话术后保存，新问答会写入
<code>scripts_library/knowledge/manager.yml</code>，2 秒内生效，无需重新训练。</p>
{cards}<h2>已回答</h2><ul>{done}</ul><script>{DRAFT_SCRIPT}</script>"""
