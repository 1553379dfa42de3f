"""Pages of the agent workspace (/agent) and the manager's quality review of human replies (/manager/quality,
its own page so the manager console can link it), with the review's JSON API."""
from __future__ import annotations

from pathlib import Path

import httpx
from sanic import Blueprint, response
from sanic.request import Request

from bot import rasa_client
from bot.db.scope import in_worker
from bot.handoff import queue
from bot.handoff.quality import review, write_draft
from bot.settings import PROJECT_ROOT
from bot.web.console.layout import console_page
from bot.web.limits import validated
from bot.web.schemas import EMPTY
from bot.web.units import per_request

bp = per_request(Blueprint("workspace_pages"))
STATIC = Path(__file__).parent / "static" / "agent"
DRAFTS = PROJECT_ROOT / "var" / "training_drafts"
bp.static("/agent/static", str(STATIC), name="agent_static")
HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "object-src 'none'; base-uri 'none'; frame-ancestors 'self'", "X-Content-Type-Options": "nosniff"}


@bp.get("/agent")
async def agent_page(_: Request):
    return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8", headers=HEADERS)


def _body_of(page: Path) -> str:
    """The part of a static page between <body> and </body>, to show inside the manager console."""
    text = page.read_text(encoding="utf-8")
    return text.split("<body>", 1)[1].split("</body>", 1)[0]


@bp.get("/manager/quality")
async def quality_page(request: Request):
    return console_page(request, "人工回复质检", _body_of(STATIC / "quality.html"), active="/manager/quality")


@bp.get("/api/quality")
async def quality(request: Request):
    try:
        days = max(1, min(int(request.args.get("days", 7)), 90))
    except ValueError:
        return response.json({"error": "days must be a whole number"}, status=400)
    result = await in_worker(review, days)
    items = await in_worker(queue.queue)
    result["overdue"] = [i.as_json() for i in items if i.overdue and i.status == "waiting"]   # nobody claimed in time
    return response.json(result)


@bp.post("/api/quality/<conversation_id>/draft")
@validated(EMPTY)
async def quality_draft(request: Request, conversation_id: str, body: dict):
    """Turn a reviewed conversation into a training scenario draft (var/training_drafts/, for review)."""
    try:
        events = await rasa_client.conversation_events(conversation_id)
    except httpx.HTTPError as exc:
        return response.json({"error": f"the chat server is unavailable: {exc}"}, status=502)
    skus = list(dict.fromkeys(e["value"] for e in events if e.get("event") == "slot"
                              and e.get("name") == "product_sku" and e.get("value")))
    try:
        path = await in_worker(write_draft, conversation_id, events, skus, DRAFTS)
    except ValueError as exc:
        return response.json({"error": str(exc)}, status=400)
    return response.json({"draft": str(path.relative_to(PROJECT_ROOT))}, status=201)
