"""The console's store settings: edit each file of data/store with validation, see who changed what, revert."""
from __future__ import annotations

import asyncio
from html import escape

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.store import editor
from bot.web.console.layout import console_page, link, table_html
from bot.web.limits import validated
from bot.web.schemas import EMPTY, SETTINGS_EDIT
from bot.web.units import per_request

bp = per_request(Blueprint("console_settings"))


def _history(edits: list[editor.EditView]) -> str:
    if not edits:
        return "<p class='muted'>还没有修改记录。</p>"
    items = []
    for e in edits:
        undo = f"（撤销了 #{e.reverts}）" if e.reverts else ""
        items.append(f"""<details class="edit" data-edit="{e.id}"><summary>#{e.id} {escape(e.file)} ·
{escape(e.editor)} · {e.created_at:%Y-%m-%d %H:%M:%S} UTC{undo}</summary><pre>{escape(editor.diff(e))}</pre>
<button type="button" class="revert" data-edit="{e.id}">撤销这次修改</button> <span class="result"></span></details>""")
    return "".join(items)


@bp.get("/manager/settings")
async def settings_page(request: Request):
    edits = await in_worker(editor.history)
    files = table_html([("file", "文件"), ("title", "内容")], [
        {"file": link(f"/manager/settings/{f.name}", f.name), "title": f.title} for f in editor.FILES.values()])
    body = (f"<p>店铺设置保存后立即生效（无需重启、无需训练）。每次保存都会先检查格式；检查不通过时不会写入，机器人继续使用原来的设置。</p>"
            f"{files}<h2>修改记录</h2>{_history(edits)}<script src='/static/console-settings.js' defer></script>")
    return console_page(request, "店铺设置", body, active="/manager/settings")


@bp.get("/manager/settings/<name>")
async def settings_file_page(request: Request, name: str):
    if name not in editor.FILES:
        return console_page(request, "店铺设置", f"<p class='bad'>{escape(name)} 不能在这里编辑</p>",
                            active="/manager/settings", status=404)
    text = await asyncio.to_thread(editor.read, name)
    edits = await in_worker(editor.history, name)
    body = f"""<p><a href="/manager/settings">← 全部设置</a> · {escape(editor.FILES[name].title)}</p>
<form id="settings-form" method="post" action="/api/console/settings/{escape(name)}">
<input type="hidden" name="base" value="{editor.digest(text)}">
<textarea name="text" rows="30" spellcheck="false">{escape(text)}</textarea>
<p><button>保存</button> <span class="result" aria-live="polite"></span></p></form>
<h2>修改记录</h2>{_history(edits)}<script src="/static/console-settings.js" defer></script>"""
    return console_page(request, f"编辑 {name}", body, active="/manager/settings")


@bp.post("/api/console/settings/<name>")
@validated(SETTINGS_EDIT, max_bytes=1024 * 1024)
async def save_settings(request: Request, name: str, body: dict):
    try:
        edit_id = await in_worker(editor.save, name, body["text"], request.ctx.staff.username, body["base"])
    except editor.SettingsError as exc:
        status = 404 if "not an editable" in str(exc) else 409 if "被修改过" in str(exc) else 400
        return response.json({"error": str(exc)}, status=status)
    return response.json({"edit_id": edit_id, "file": name})


@bp.post("/api/console/settings/edits/<edit_id:int>/revert")
@validated(EMPTY)
async def revert_settings(request: Request, edit_id: int, body: dict):
    try:
        new_id = await in_worker(editor.revert, edit_id, request.ctx.staff.username)
    except editor.SettingsError as exc:
        return response.json({"error": str(exc)}, status=404 if "没有编号" in str(exc) else 400)
    return response.json({"edit_id": new_id, "reverts": edit_id})
