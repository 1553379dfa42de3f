"""The console's overview page (/manager) with charts, and the CSV of each of its tables."""
from __future__ import annotations

import asyncio
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.db.uow import AbstractUnitOfWork
from bot.metrics.charts import overview_charts, recommendations_svg
from bot.metrics.overview import Overview, build_overview
from bot.metrics.period import Period, PeriodError
from bot.store.config import load_store
from bot.web.console.csvout import csv_response
from bot.web.console.layout import console_page, table_html
from bot.web.units import per_request

bp = per_request(Blueprint("console_overview"))

CARDS = (  # (figure, label, kind)
    ("conversations", "会话数", "count"), ("automation_rate", "机器人独立解决率", "pct"),
    ("handoff_rate", "转人工率", "pct"), ("first_response_p50", "首次响应 P50（秒）", "num"),
    ("first_response_p95", "首次响应 P95（秒）", "num"), ("first_response_over_5s", "首响超过 5 秒", "pct"),
    ("fallback_rate", "兜底回复会话占比", "pct"), ("unanswered_rate", "未能回答会话占比", "pct"),
    ("ordering_conversations", "促成下单的会话", "count"), ("conversation_conversion", "会话下单率", "pct"),
    ("reminders_sent", "催付发送", "count"), ("reminders_recovered", "催付后 24 小时内付款", "count"),
    ("reminder_uplift", "催付提升（对照组）", "pp"), ("training_pass_rate", "学员通过率", "pct"),
)


def period_of(request: Request) -> Period:
    zone = load_store().timezone
    return Period.parse(request.args.get("from"), request.args.get("to"), zone, datetime.now(ZoneInfo(zone)).date())


def _show(value, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "pp":
        return f"{value * 100:+.1f} 个百分点"
    return f"{round(value, 2):g}" if isinstance(value, float) else str(value)


def _period_form(period: Period, action: str, extra: str = "") -> str:
    return (f"<form class='filters' method='get' action='{action}'>"
            f"<label>开始日期 <input type='date' name='from' value='{period.first_day}'></label>"
            f"<label>结束日期 <input type='date' name='to' value='{period.last_day}'></label>{extra}"
            "<button>查看</button></form>")


def _query(period: Period) -> str:
    return f"from={period.first_day}&amp;to={period.last_day}"


def overview_body(overview: Overview, charts: list[str]) -> str:
    f = overview.figures
    cards = "".join(f"<div class='card' data-figure='{key}'><div class='value'>{escape(_show(f[key], kind))}</div>"
                    f"<div class='label'>{escape(label)}</div></div>" for key, label, kind in CARDS)
    ci = f["reminder_uplift_ci"]
    ci_note = (f"<p>催付提升的 95% 置信区间：{ci[0] * 100:+.1f} ~ {ci[1] * 100:+.1f} 个百分点"
               f"（催付组 {overview.uplift.treated} 单，对照组 {overview.uplift.control} 单）。</p>" if ci else
               "<p class='muted'>本期没有足够的催付与对照订单来估计提升。</p>")
    q = _query(overview.period)
    tables = "".join(
        f"<section id='table-{t.name}'><h2>{escape(t.title)} <small><a href='/manager/overview.csv?table={t.name}"
        f"&amp;{q}'>导出 CSV</a></small></h2>{table_html(t.columns, t.rows)}</section>"
        for name, t in overview.tables.items() if name != "summary")
    figures = "".join(f"<figure>{svg}</figure>" for svg in charts)
    return (f"{_period_form(overview.period, '/manager')}<div class='cards'>{cards}</div>{ci_note}{figures}"
            f"{tables}<p><a href='/manager/overview.csv?table=summary&amp;{q}'>导出全部核心指标 CSV</a> · "
            "每个指标的定义见 README「店长后台：指标定义」。</p>")


@bp.get("/manager")
async def overview_page(request: Request):
    try:
        period = period_of(request)
    except PeriodError as exc:
        return console_page(request, "经营概览", f"<p class='bad'>{escape(str(exc))}</p>", active="/manager",
                            status=400)

    overview = await in_worker(build_overview, period)
    body = await asyncio.to_thread(lambda: overview_body(overview, overview_charts(overview)))   # charts: no database
    return console_page(request, "经营概览", body, active="/manager")


@bp.get("/manager/overview.csv")
async def overview_csv(request: Request):
    try:
        period = period_of(request)
    except PeriodError as exc:
        return response.json({"error": str(exc)}, status=400)
    overview = await in_worker(build_overview, period)
    table = overview.tables.get(request.args.get("table") or "summary")
    if table is None:
        return response.json({"error": f"table: one of {', '.join(overview.tables)}"}, status=400)
    return csv_response(f"{table.name}_{period.first_day}_{period.last_day}.csv", table.columns, table.rows)


@bp.get("/manager/recommendations")
async def recommendations_page(request: Request):
    """Suggestions shown and accepted per type, with the co-purchase rules and the bundle price band."""
    from bot.recommendations.bundles import load_bundle_config, store_aov

    try:
        period = period_of(request)
    except PeriodError as exc:
        return console_page(request, "推荐效果", f"<p class='bad'>{escape(str(exc))}</p>", status=400)

    def build(uow: AbstractUnitOfWork) -> str:
        overview = build_overview(uow, period)
        table = overview.tables["recommendations"]
        chart = recommendations_svg(overview) if any(r["shown"] for r in table.rows) else ""
        config = load_bundle_config()
        aov = store_aov(uow, days=config.days)
        top = uow.co_purchases.strongest(20)
        low, high = config.band
        band = (f"<p>近 {config.days} 天客单价 {aov:.2f} 元：搭配套餐价格建议在 {aov * low:.0f}–{aov * high:.0f} 元之间。</p>"
                if aov else f"<p class='muted'>近 {config.days} 天没有付款订单，暂时无法计算客单价。</p>")
        rules = table_html([("a", "买了"), ("b", "也买了"), ("pairs", "同单次数"), ("confidence", "置信度"),
                            ("lift", "提升度")], top, "还没有挖掘出的关联购买")
        return (f"{_period_form(period, '/manager/recommendations')}{band}<figure>{chart}</figure>"
                f"{table_html(table.columns, table.rows)}<h2>关联购买（买了 A 也买了 B）</h2>{rules}")

    return console_page(request, "推荐效果", await in_worker(build), active="/manager/recommendations")
