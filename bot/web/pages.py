"""Server-rendered manager pages (operators' pages are in English; every value is HTML-escaped)."""
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
    status = live.status
    loaded = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.loaded_at)) if status.loaded_at else "never"
    rejected = (
        f"<p class='bad'>Last edit rejected at {time.strftime('%H:%M:%S', time.localtime(status.rejected_at))}; "
        "the last good library is still serving.</p>" if status.rejected_at else ""
    )
    history = "".join(
        f"<li>{time.strftime('%H:%M:%S', time.localtime(t))} {escape(what)}</li>" for t, what in reversed(live.history)
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="5"><title>Script library status</title>
<style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}}
.bad{{color:#b00020}}.ok{{color:#1b5e20}}code{{white-space:pre-wrap}}</style></head><body>
<h1>Script library (scripts_library/)</h1>
<p>Last good version loaded: {loaded}. Responses served: {len(live.get().responses)}.</p>{rejected}
<h2>Errors</h2>{_rows(status.errors, "No errors.")}
<h2>Warnings</h2>{_rows(status.warnings, "No warnings.")}
<h2>Reload history</h2><ul>{history}</ul></body></html>"""
