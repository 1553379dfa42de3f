"""The console's navigation: one registry of every staff page, grouped, each with the role that may open it.

Other pages plug in by adding an entry here (and their route to bot/web/access.py). `role` is the access level
of the page's route; a staff member sees the entries their role may open.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.web.access import STAFF_LEVELS


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    role: str = "manager"


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: tuple[NavItem, ...]


NAV: list[NavGroup] = [
    NavGroup("经营", (NavItem("概览", "/manager"), NavItem("会话记录", "/manager/conversations"),
                    NavItem("推荐效果", "/manager/recommendations"))),
    NavGroup("客服", (NavItem("客服工作台", "/agent", "agent"), NavItem("转人工队列", "/manager/handoffs", "agent"),
                    NavItem("质检", "/manager/quality"))),
    NavGroup("知识与话术", (NavItem("问答库与待回答问题", "/manager/knowledge"), NavItem("话术库状态", "/manager/library"))),
    NavGroup("提醒", (NavItem("催付与通知", "/manager/reminders"), NavItem("追销", "/manager/repurchase"))),
    NavGroup("培训", (NavItem("培训成绩", "/manager/training"), NavItem("练习页面", "/training", "trainee"))),
    NavGroup("店铺", (NavItem("商品与订单导入", "/manager/imports"), NavItem("店铺设置", "/manager/settings"),
                    NavItem("员工账号", "/manager/staff"))),
]


def visible(role: str) -> list[NavGroup]:
    """The groups and entries a staff member of `role` may open (empty groups left out)."""
    groups = []
    for group in NAV:
        items = tuple(i for i in group.items if role in STAFF_LEVELS[i.role])
        if items:
            groups.append(NavGroup(group.label, items))
    return groups


def all_hrefs() -> list[str]:
    return [item.href for group in NAV for item in group.items]
