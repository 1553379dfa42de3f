"""The console's conversations browser, a conversation's transcript, and drafts from it (one unit of work per
request, used off the event loop through `in_worker`)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from urllib.parse import quote, urlencode

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.db.uow import AbstractUnitOfWork
from bot.metrics.period import PeriodError
from bot.store.config import load_store
from bot.transcripts.browser import MAX_EXPORT, PAGE_SIZE, search
from bot.transcripts.detail import Detail, load_detail, question_pairs, scenario_draft
from bot.transcripts.tracker import TrackerStore, TranscriptTurn
from bot.transcripts.types import OUTCOMES, Filters
from bot.web.console.csvout import csv_response
from bot.web.console.layout import console_page, link, table_html
from bot.web.console.overview import period_of
from bot.web.knowledge_page import DRAFT_SCRIPT
from bot.web.units import per_request

bp = per_request(Blueprint("console_conversations"))
COLUMNS = [("conversation_id", "会话"), ("started_at", "开始时间（UTC）"), ("first_response_seconds", "首次响应（秒）"),
           ("intents", "意图"), ("outcomes", "结果"), ("orders", "订单数"), ("amount", "订单金额")]


def _filters(request: Request) -> Filters:
    args = request.args
    return Filters(period_of(request), intent=args.get("intent") or "", outcome=args.get("outcome") or "",
                   product=(args.get("product") or "").strip(), agent=args.get("agent") or "",
                   words=(args.get("q") or "").strip()[:100])


def _options(values: list[tuple[str, str]], chosen: str) -> str:
    return "".join(f"<option value='{escape(v)}'{' selected' if v == chosen else ''}>{escape(label)}</option>"
                   for v, label in [("", "全部")] + values)


def _form(f: Filters, intents: list[str]) -> str:
    agents = [(a["id"], a["name"]) for a in load_store().agents]
    return f"""<form class="filters" method="get" action="/manager/conversations">
<label>开始日期 <input type="date" name="from" value="{f.period.first_day}"></label>
<label>结束日期 <input type="date" name="to" value="{f.period.last_day}"></label>
<label>意图 <select name="intent">{_options([(i, i) for i in intents], f.intent)}</select></label>
<label>结果 <select name="outcome">{_options(list(OUTCOMES.items()), f.outcome)}</select></label>
<label>商品 SKU <input name="product" value="{escape(f.product)}" size="14"></label>
<label>客服 <select name="agent">{_options(agents, f.agent)}</select></label>
<label>顾客说过 <input name="q" value="{escape(f.words)}" size="14"></label>
<button>筛选</button></form>"""


def _query(f: Filters, **extra) -> str:
    values = {"from": f.period.first_day, "to": f.period.last_day, "intent": f.intent, "outcome": f.outcome,
              "product": f.product, "agent": f.agent, "q": f.words, **extra}
    return escape(urlencode({k: v for k, v in values.items() if v not in ("", None)}))


def _display(row: dict) -> dict:
    return {**row, "intents": "、".join(row["intents"]),
            "outcomes": "、".join(OUTCOMES[o] for o in row["outcomes"]) or OUTCOMES["bot_only"],
            "started_at": row["started_at"][:19].replace("T", " ")}


@bp.get("/manager/conversations")
async def conversations_page(request: Request):
    try:
        filters = _filters(request)
        offset = max(0, int(request.args.get("offset") or 0))
    except (PeriodError, ValueError) as exc:
        return console_page(request, "会话记录", f"<p class='bad'>{escape(str(exc))}</p>",
                            active="/manager/conversations", status=400)

    def build(uow: AbstractUnitOfWork) -> str:
        tracker = TrackerStore()
        total, rows = search(uow, filters, offset, PAGE_SIZE, tracker)
        shown = [_display(r.as_json()) for r in rows]
        for row in shown:
            cid = row["conversation_id"]
            row["conversation_id"] = link(f"/manager/conversations/{quote(cid, safe='')}", cid)
        table = table_html(COLUMNS, shown, "没有符合条件的会话")
        pages = []
        if offset:
            pages.append(f"<a href='/manager/conversations?{_query(filters, offset=max(0, offset - PAGE_SIZE))}'>上一页</a>")
        if offset + PAGE_SIZE < total:
            pages.append(f"<a href='/manager/conversations?{_query(filters, offset=offset + PAGE_SIZE)}'>下一页</a>")
        return (f"{_form(filters, tracker.intent_names())}<p>共 <strong id='total'>{total}</strong> 个会话"
                f"（第 {offset + 1 if total else 0}–{min(total, offset + PAGE_SIZE)} 个）· "
                f"<a href='/manager/conversations.csv?{_query(filters)}'>导出 CSV</a></p>{table}"
                f"<p>{' · '.join(pages)}</p>")

    return console_page(request, "会话记录", await in_worker(build), active="/manager/conversations")


@bp.get("/manager/conversations.csv")
async def conversations_csv(request: Request):
    try:
        filters = _filters(request)
    except (PeriodError, ValueError) as exc:
        return response.json({"error": str(exc)}, status=400)
    total, rows = await in_worker(search, filters, 0, MAX_EXPORT)
    return csv_response(f"conversations_{filters.period.first_day}_{filters.period.last_day}.csv", COLUMNS,
                        [_display(r.as_json()) for r in rows])


def _violations(violations: list[dict[str, str]]) -> str:
    return "、".join(v.get("rule", "") + (f"（{v['span']}）" if v.get("span") else "") for v in violations)


def _when(turn: TranscriptTurn) -> str:
    """The turn's time (UTC), under who spoke."""
    if not turn.timestamp:
        return ""
    return f"<br><small class='muted'>{datetime.fromtimestamp(turn.timestamp, UTC):%m-%d %H:%M:%S}</small>"


def _turn_html(turn: TranscriptTurn) -> str:
    when = _when(turn)
    if turn.role == "user":
        confidence = "-" if turn.confidence is None else f"{turn.confidence:.2f}"
        entities = f" · 实体 {escape('、'.join(turn.entities))}" if turn.entities else ""
        return (f"<tr class='turn-user'><td>顾客{when}</td><td>{escape(turn.text)}</td>"
                f"<td>意图 <code>{escape(turn.intent or '-')}</code> · 置信度 {confidence}{entities}</td></tr>")
    if turn.role == "action":
        return f"<tr class='muted'><td>系统{when}</td><td colspan='2'><code>{escape(turn.text)}</code></td></tr>"
    who = f"客服 {escape(turn.agent)}" if turn.agent else "机器人"
    variant = "" if turn.variant is None else (" · 兜底话术" if turn.variant == -1 else f" · 变体 #{turn.variant}")
    guard = "".join(f"<div class='guard'>回复守卫替换了一个变体：{escape(_violations(v))}</div>" for v in turn.guard)
    return (f"<tr class='turn-bot'><td>{who}{when}</td><td>{escape(turn.text)}{guard}</td>"
            f"<td>回复 <code>{escape(turn.response or '-')}</code>{variant}</td></tr>")


def _draft_forms(detail: Detail) -> str:
    """A question-bank draft per shopper question (saved through /api/knowledge/entries, as on 问答库)."""
    ids = json.dumps([u["id"] for u in detail.unanswered if not u["answered_by"]])
    forms = []
    for question, reply in question_pairs(detail)[:10]:
        forms.append(f"""<details><summary>起草问答：{escape(question[:40])}</summary>
<form class="draft" data-ids="{escape(ids)}">
<label>问答编号（小写字母、数字、下划线）<input name="entry_id" required pattern="[a-z0-9_]+"></label>
<label>顾客问法（每行一个）<textarea name="questions" rows="2">{escape(question)}</textarea></label>
<label>回复话术<textarea name="answer" rows="2" required>{escape(reply)}</textarea></label>
<label>适用商品 SKU（可选，逗号分隔）<input name="products" value="{escape(','.join(detail.skus[:1]))}"></label>
<button>保存为问答</button><pre class="result"></pre></form></details>""")
    return "".join(forms)


def detail_body(detail: Detail) -> str:
    cid = quote(detail.conversation_id, safe="")
    facts = [("开始时间（UTC）", detail.started_at.isoformat()[:19] if detail.started_at else "-"),
             ("首次响应（秒）", "-" if detail.first_response_seconds is None else f"{detail.first_response_seconds:.2f}"),
             ("转人工", "、".join(h["reason"] for h in detail.handoffs) or "无"),
             ("订单", "、".join(f"{o['id']}（{o['status']}，{o['total']:.2f} 元）" for o in detail.orders) or "无"),
             ("推荐", "、".join(f"{s['kind']}:{s['sku']}:{s['event']}" for s in detail.suggestions) or "无"),
             ("未能回答", "、".join(f"{u['text']}（{u['reason']}）" for u in detail.unanswered) or "无")]
    summary = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    turns = "".join(_turn_html(t) for t in detail.turns) or \
        "<tr><td colspan='3' class='muted'>对话记录已过保留期或不在记录库中。</td></tr>"
    scenario = (f"<a href='/manager/conversations/{cid}/scenario.yml'>起草培训场景（下载 YAML）</a>"
                if detail.draft_reason else
                "<span class='muted'>这段对话没有转人工、兜底或未付款订单，不用起草培训场景。</span>")
    return (f"<p><a href='/manager/conversations'>← 返回会话记录</a> · {scenario}</p><table>{summary}</table>"
            f"<h2>对话</h2><table><tr><th>谁（UTC）</th><th>内容</th><th>识别与回复</th></tr>{turns}</table>"
            f"<h2>从这段对话起草问答</h2>{_draft_forms(detail) or '<p class=muted>没有顾客提问。</p>'}"
            f"<script>{DRAFT_SCRIPT}</script>")


@bp.get("/manager/conversations/<conversation_id>")
async def conversation_page(request: Request, conversation_id: str):
    detail = await in_worker(load_detail, conversation_id)
    if detail is None:
        return console_page(request, "会话详情", f"<p class='bad'>找不到会话 {escape(conversation_id)}</p>",
                            active="/manager/conversations", status=404)
    return console_page(request, f"会话 {conversation_id}", detail_body(detail), active="/manager/conversations")


@bp.get("/manager/conversations/<conversation_id>/scenario.yml")
async def conversation_scenario(_: Request, conversation_id: str):
    def build(uow: AbstractUnitOfWork):
        detail = load_detail(uow, conversation_id)
        return scenario_draft(uow, detail) if detail else None

    draft = await in_worker(build)
    if draft is None:
        return response.json({"error": "no draft: the conversation has no handoff, fallback or unpaid order, "
                                       "or no product"}, status=404)
    name, text = draft
    return response.text(text, content_type="text/yaml; charset=utf-8",
                         headers={"Content-Disposition": f"attachment; filename={name}"})
