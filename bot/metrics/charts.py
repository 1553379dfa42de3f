"""The overview's charts (matplotlib SVG through bot.charts, as on every staff page)."""
from __future__ import annotations

from bot.charts import figure, svg
from bot.metrics.overview import Overview

BLUE, ORANGE, RED, GREEN = "#3d5a80", "#e07a5f", "#b00020", "#81b29a"


def daily_svg(overview: Overview) -> str:
    rows = overview.tables["daily"].rows
    fig, ax = figure(3.0)
    days = list(range(len(rows)))   # positions: day labels like 11-02 would be read as dates
    ax.bar(days, [r["conversations"] for r in rows], color=BLUE, label="会话数")
    ax.bar(days, [r["handed_over"] for r in rows], color=ORANGE, label="转人工")
    ax.set_xticks(days, [r["day"][5:] for r in rows])
    ax.set_ylabel("会话数")
    ax.set_title("每日会话与转人工")
    ax.legend(loc="upper left", fontsize=8)
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    rates = ax.twinx()
    rates.plot(days, [r["automation_rate"] for r in rows], color=GREEN, marker=".", label="机器人独立解决率")
    rates.set_ylim(0, 1.05)
    rates.set_ylabel("独立解决率")
    return svg(fig)


def first_response_svg(overview: Overview) -> str:
    rows = overview.tables["first_response"].rows
    fig, ax = figure(2.6)
    colours = [RED if r["bucket"].startswith(("5-", "10")) else BLUE for r in rows]
    ax.bar([r["bucket"] for r in rows], [r["conversations"] for r in rows], color=colours)
    ax.set_title("首次响应时间（红色：超过 5 秒）")
    ax.set_ylabel("会话数")
    return svg(fig)


def handoff_reasons_svg(overview: Overview) -> str:
    rows = list(reversed(overview.tables["handoff_reasons"].rows))
    fig, ax = figure(2.4)
    ax.barh([r["label"] for r in rows], [r["conversations"] for r in rows], color=ORANGE)
    ax.set_title("转人工原因")
    ax.set_xlabel("会话数")
    return svg(fig)


def orders_svg(overview: Overview) -> str:
    rows = overview.tables["orders"].rows
    fig, (left, right) = figure(2.6, columns=2)
    groups = [r["group"] for r in rows]
    left.bar(groups, [r["aov"] or 0 for r in rows], color=[BLUE, GREEN])
    left.set_title("客单价（元）")
    right.bar(groups, [r["items_per_order"] or 0 for r in rows], color=[BLUE, GREEN])
    right.set_title("每单件数")
    return svg(fig)


def recommendations_svg(overview: Overview) -> str:
    rows = [r for r in overview.tables["recommendations"].rows if r["shown"] or r["accepted"]]
    fig, ax = figure(2.6)
    kinds = [r["kind"] for r in rows]
    positions = range(len(kinds))
    ax.bar([p - 0.2 for p in positions], [r["shown"] for r in rows], width=0.4, color=BLUE, label="展示")
    ax.bar([p + 0.2 for p in positions], [r["accepted"] for r in rows], width=0.4, color=GREEN, label="接受")
    ax.set_xticks(list(positions), kinds)
    ax.set_title("各类推荐的展示与接受")
    ax.legend(fontsize=8)
    return svg(fig)


def overview_charts(overview: Overview) -> list[str]:
    charts = [daily_svg(overview)]
    if overview.figures["first_response_measured"]:
        charts.append(first_response_svg(overview))
    if overview.tables["handoff_reasons"].rows:
        charts.append(handoff_reasons_svg(overview))
    if any(r["orders"] for r in overview.tables["orders"].rows):
        charts.append(orders_svg(overview))
    if any(r["shown"] for r in overview.tables["recommendations"].rows):
        charts.append(recommendations_svg(overview))
    return charts
