"""The console's 追销 page: are repurchase reminders bringing buyers back, and what is planned next."""
from __future__ import annotations

from collections import Counter

from sanic import Blueprint
from sanic.request import Request

from bot.db.scope import in_worker
from bot.db.uow import AbstractUnitOfWork
from bot.reminders import service as reminders
from bot.reminders.tables import REPURCHASE
from bot.repurchase.metrics import repurchase_metric
from bot.web.console.layout import console_page, table_html
from bot.web.units import per_request

bp = per_request(Blueprint("console_repurchase"))
STATE_NAMES = {"pending": "待发送", "sent": "已发送", "holdout": "对照组（不发送）", "skipped": "已跳过（如顾客已先回购）"}
UPCOMING = 20


def _share(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f}%"


def _page_body(uow: AbstractUnitOfWork) -> str:
    metric = repurchase_metric(uow)
    rows = [r for r in reminders.list_reminders(uow) if r.kind == REPURCHASE]
    states = Counter(r.state for r in rows)
    upcoming = sorted((r for r in rows if r.state == "pending"), key=lambda r: r.due_at)[:UPCOMING]
    summary = [{"group": "收到提醒", "count": metric["reminded"]["count"], "reordered": metric["reminded"]["reordered"],
                "rate": _share(metric["reminded"]["rate"])},
               {"group": "对照组", "count": metric["holdout"]["count"], "reordered": metric["holdout"]["reordered"],
                "rate": _share(metric["holdout"]["rate"])}]
    categories = [{**c, "rate": _share(c["rate"]), "holdout_rate": _share(c["holdout_rate"]),
                   "uplift": _share(c["uplift"])} for c in metric["by_category"]]
    variants = [{**v, "rate": _share(v["rate"])} for v in metric["by_variant"]]
    return (
        f"<p>提醒发出（对照组为计划时间）后 {metric['window_days']} 天内再次购买同一商品的比例；提升 = 收到提醒组 − 对照组："
        f"<strong>{_share(metric['uplift']) or '-'}</strong>（还有 {metric['open_windows']} 条在观察期内）。</p>"
        + table_html([("group", "组"), ("count", "人次"), ("reordered", "回购"), ("rate", "回购率")], summary)
        + "<h2>按品类</h2>"
        + table_html([("category", "品类"), ("reminded", "提醒"), ("reordered", "回购"), ("rate", "回购率"),
                      ("holdout", "对照"), ("holdout_rate", "对照回购率"), ("uplift", "提升")], categories)
        + "<h2>按话术</h2>"
        + table_html([("response", "话术"), ("variant", "版本"), ("sent", "发送"), ("reordered", "回购"),
                      ("rate", "回购率")], variants)
        + "<h2>提醒状态</h2>"
        + table_html([("state", "状态"), ("count", "条数")],
                     [{"state": STATE_NAMES.get(s, s), "count": n} for s, n in sorted(states.items())])
        + f"<h2>接下来要发的 {UPCOMING} 条</h2>"
        + table_html([("due", "计划发送（UTC）"), ("customer", "顾客"), ("sku", "商品"), ("order", "上次订单")],
                     [{"due": r.due_at.isoformat()[:16], "customer": r.customer_id, "sku": r.notice_key,
                       "order": r.order_id} for r in upcoming], empty="暂无待发送的追销提醒"))


@bp.get("/manager/repurchase")
async def repurchase_page(request: Request):
    return console_page(request, "追销（回购提醒）", await in_worker(_page_body), active="/manager/repurchase")
