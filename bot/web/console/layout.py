"""The console shell: every staff page is its body inside one Chinese layout with the navigation registry."""
from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

from sanic import response
from sanic.request import Request

from bot.web.console.nav import visible
from bot.web.pages import csrf_field

SHELL = Template((Path(__file__).resolve().parent.parent / "templates" / "console.html").read_text(encoding="utf-8"))


def _nav(role: str, active: str | None) -> str:
    parts = []
    for group in visible(role):
        links = "".join(
            f"<a href='{escape(i.href)}'{' aria-current=page' if i.href == active else ''}>{escape(i.label)}</a>"
            for i in group.items)
        parts.append(f"<h2>{escape(group.label)}</h2>{links}")
    return "".join(parts)


ROLE_NAMES = {"manager": "店长", "agent": "客服", "trainee": "培训学员"}


def render_page(request: Request, title: str, body: str, *, active: str | None = None, head: str = "") -> str:
    """`body` is trusted HTML built by the page (its values escaped); the title is escaped here."""
    staff = getattr(request.ctx, "staff", None)
    role = staff.role if staff else "manager"
    user = f"{escape(staff.username)}（{escape(ROLE_NAMES.get(role, role))}）" if staff else ""
    return SHELL.substitute(title=escape(title), head=head, nav=_nav(role, active),
                            user=user + csrf_field(request), body=body)


def console_page(request: Request, title: str, body: str, *, active: str | None = None, head: str = "",
                 status: int = 200):
    return response.html(render_page(request, title, body, active=active, head=head), status=status)


def table_html(columns: list[tuple[str, str]], rows: list[dict], empty: str = "暂无数据") -> str:
    """A plain table of escaped values; None shows as '-'."""
    if not rows:
        return f"<p class='muted'>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(label)}</th>" for _, label in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(k))}</td>" for k, _ in columns) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


class Html(str):
    """A table cell already rendered as HTML by the page (its values escaped there)."""


def link(href: str, label: str) -> Html:
    return Html(f"<a href='{escape(href, quote=True)}'>{escape(label)}</a>")


def _cell(value: object) -> str:
    if isinstance(value, Html):
        return str(value)
    return "-" if value is None else escape(str(value))
