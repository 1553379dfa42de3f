"""Server-rendered parts of staff pages (Chinese; every value is HTML-escaped)."""
from __future__ import annotations

import time
from html import escape

from sanic.request import Request

from bot.scripts.live import LiveLibrary
from bot.security.tokens import csrf_for


def csrf_field(request: Request) -> str:
    """The hidden CSRF input of a form on a staff page (the value belongs to the session cookie)."""
    token = request.cookies.get("store_session")
    return f"<input type='hidden' name='csrf_token' value='{csrf_for(token)}'>" if token else ""


def _rows(items: list, empty: str) -> str:
    if not items:
        return f"<p class='ok'>{escape(empty)}</p>"
    return "<ul>" + "".join(f"<li><code>{escape(str(i))}</code></li>" for i in items) + "</ul>"


def library_status_page(live: LiveLibrary) -> str:
    """The body of 话术库状态: the last good version, errors and warnings of the last edit, reload history."""
    status = live.status
    loaded = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.loaded_at)) if status.loaded_at else "从未"
    rejected = (
        f"<p class='bad'>最近一次修改在 {time.strftime('%H:%M:%S', time.localtime(status.rejected_at))} 被拒绝；"
        "机器人仍在使用上一版正确的话术（the last good library is still serving）。</p>" if status.rejected_at else ""
    )
    history = "".join(
        f"<li>{time.strftime('%H:%M:%S', time.localtime(t))} {escape(what)}</li>" for t, what in reversed(live.history)
    )
    return f"""<p>话术文件夹 <code>scripts_library/</code>。上一版正确话术加载于 {loaded}，共 {len(live.get().responses)} 条回复。
本页每 5 秒刷新。</p>{rejected}
<h2>错误</h2>{_rows(status.errors, "没有错误。")}
<h2>提醒</h2>{_rows(status.warnings, "没有提醒。")}
<h2>加载记录</h2><ul>{history}</ul>"""
