"""Manager routes of the question bank: unanswered questions, drafts from them, saving entries, the page."""
from __future__ import annotations

import asyncio
import json
from typing import Any

import jsonschema
from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.knowledge import unanswered
from bot.knowledge.bank import RESOLVER
from bot.knowledge.bank import SCHEMA as BANK_SCHEMA
from bot.knowledge.drafts import save_entry
from bot.settings import get_settings
from bot.web.console.layout import console_page
from bot.web.knowledge_page import knowledge_page
from bot.web.units import per_request

bp = per_request(Blueprint("knowledge"))
# Every route here is staff-only, role manager: the lead wires the auth decorator onto these at merge.
_IDS = {"type": "array", "maxItems": 1000, "items": {"type": "integer", "minimum": 1}}
DRAFT_BODY = jsonschema.Draft7Validator(
    {"type": "object", "additionalProperties": False, "required": ["ids"], "properties": {"ids": _IDS}})
ENTRY_BODY = jsonschema.Draft7Validator(
    {"type": "object", "additionalProperties": False, "required": ["entry"],
     "properties": {"entry": {"$ref": f"{BANK_SCHEMA['$id']}#/definitions/entry"}, "ids": _IDS}},
    resolver=RESOLVER)


def _invalid(validator: jsonschema.Draft7Validator, body: object):
    errors = [f"{'.'.join(map(str, e.absolute_path)) or '-'}: {e.message}" for e in validator.iter_errors(body)]
    return response.json({"errors": errors}, status=400) if errors else None


def _body(request: Request) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


@bp.get("/api/knowledge/unanswered")
async def list_unanswered(request: Request):
    status = request.args.get("status", "open")
    if status not in ("open", "answered", "all"):
        return response.json({"errors": ["status: open | answered | all"]}, status=400)
    found = await in_worker(unanswered.groups, status)
    return response.json([g.as_json() for g in found])


@bp.post("/api/knowledge/drafts")
async def make_draft(request: Request):
    body = _body(request)
    if (bad := _invalid(DRAFT_BODY, body)) is not None:
        return bad
    return response.json(await in_worker(unanswered.draft, body["ids"]))


@bp.post("/api/knowledge/entries")
async def add_entry(request: Request):
    body = _body(request)
    if (bad := _invalid(ENTRY_BODY, body)) is not None:
        return bad
    errors = await asyncio.to_thread(save_entry, get_settings().scripts_dir, body["entry"])
    if errors:
        return response.json({"errors": errors}, status=422)
    marked = await in_worker(unanswered.mark_answered, body.get("ids") or [], body["entry"]["id"])
    return response.json({"saved": body["entry"]["id"], "answered": marked}, status=201)


@bp.get("/manager/knowledge")
async def page(request: Request):
    open_groups = await in_worker(unanswered.groups, "open")
    answered = await in_worker(unanswered.groups, "answered")
    return console_page(request, "问答库：机器人没能回答的问题", knowledge_page(open_groups, answered),
                        active="/manager/knowledge")
