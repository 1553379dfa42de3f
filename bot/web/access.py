"""Who may call each route of the web app. Every route is listed here; an unlisted route answers 403.

Levels: `public` (anyone), `internal` (Rasa and the store's own processes: `?token=<RASA_AUTH_TOKEN>`), `shopper`
(a signed shopper session token), `manager` / `agent` / `trainee` (staff, role checked: a manager may do
everything). tests/e2e/test_access_matrix.py walks the router against this table.
"""
from __future__ import annotations

import re

STAFF_LEVELS = {"manager": {"manager"}, "agent": {"agent", "manager"}, "trainee": {"trainee", "manager"}}
LEVELS = {"public", "internal", "shopper", *STAFF_LEVELS}

ROUTES: dict[tuple[str, str], str] = {
    # storefront, widget, product reads, chat sessions, payments (checked by signature)
    ("GET", "/"): "public",
    ("GET", "/health"): "public",
    ("GET", "/products/<sku>"): "public",
    ("GET", "/cart"): "public",
    ("GET", "/orders/<order_id>/pay"): "public",
    ("GET", "/static/<__file_uri__>"): "public",
    ("GET", "/api/products"): "public",
    ("GET", "/api/products/<sku>"): "public",
    ("GET", "/api/orders/<order_id>"): "public",
    ("POST", "/api/chat/session"): "public",
    ("POST", "/api/payments/notify"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
    ("POST", "/api/auth/login"): "public",
    # Rasa's NLG calls (endpoints.yml sends the token)
    ("POST", "/nlg"): "internal",
    # a shopper's own chat and orders
    ("GET", "/api/chat/<conversation_id>/history"): "shopper",
    ("POST", "/api/chat/<conversation_id>/seen"): "shopper",
    ("POST", "/api/orders"): "shopper",
    ("POST", "/api/payments/demo/<order_id>"): "shopper",
    # managers: the console (店长后台)
    ("GET", "/manager"): "manager",
    ("GET", "/manager/overview.csv"): "manager",
    ("GET", "/manager/recommendations"): "manager",
    ("GET", "/manager/conversations"): "manager",
    ("GET", "/manager/conversations.csv"): "manager",
    ("GET", "/manager/conversations/<conversation_id>"): "manager",
    ("GET", "/manager/conversations/<conversation_id>/scenario.yml"): "manager",
    ("GET", "/manager/imports"): "manager",
    ("GET", "/manager/imports/<kind>/template.csv"): "manager",
    ("POST", "/api/console/imports/<kind>"): "manager",
    ("POST", "/api/console/training"): "manager",
    ("POST", "/api/console/demo/remove"): "manager",
    ("GET", "/manager/settings"): "manager",
    ("GET", "/manager/settings/<name>"): "manager",
    ("POST", "/api/console/settings/<name>"): "manager",
    ("POST", "/api/console/settings/edits/<edit_id>/revert"): "manager",
    ("GET", "/manager/staff"): "manager",
    ("POST", "/api/console/staff"): "manager",
    ("GET", "/manager/library"): "manager",
    ("GET", "/api/library/status"): "manager",
    ("POST", "/api/products/<sku>/stock"): "manager",
    ("POST", "/api/orders/<order_id>/delay"): "manager",
    ("GET", "/api/reminders"): "manager",
    ("GET", "/manager/reminders"): "manager",
    ("GET", "/manager/repurchase"): "manager",
    ("GET", "/manager/training"): "manager",
    ("GET", "/api/training/runs"): "manager",
    ("GET", "/api/training/runs/<run_id>"): "manager",
    ("GET", "/api/training/report"): "manager",
    ("GET", "/api/knowledge/unanswered"): "manager",
    ("POST", "/api/knowledge/drafts"): "manager",
    ("POST", "/api/knowledge/entries"): "manager",
    ("GET", "/manager/knowledge"): "manager",
    ("GET", "/api/chat/<conversation_id>/handoff"): "shopper",
    # agents (the workspace, bot/web/agent.py and bot/web/workspace_pages.py)
    ("GET", "/agent"): "agent",
    ("GET", "/agent/static/<__file_uri__>"): "agent",
    ("GET", "/api/handoffs"): "agent",
    ("GET", "/manager/handoffs"): "agent",
    ("GET", "/api/handoffs/<conversation_id>"): "agent",
    ("POST", "/api/handoffs/<conversation_id>/claim"): "agent",
    ("POST", "/api/handoffs/<conversation_id>/messages"): "agent",
    ("POST", "/api/handoffs/<conversation_id>/release"): "agent",
    ("GET", "/api/handoffs/<conversation_id>/suggestions"): "agent",
    ("POST", "/api/assist/check"): "agent",
    ("POST", "/api/agent/offline"): "agent",
    ("GET", "/api/agent/status"): "agent",
    # managers: quality review of human replies
    ("GET", "/manager/quality"): "manager",
    ("GET", "/api/quality"): "manager",
    ("POST", "/api/quality/<conversation_id>/draft"): "manager",
    # trainees
    ("GET", "/training"): "trainee",
    ("GET", "/training/static/<__file_uri__>"): "trainee",
    ("GET", "/api/training/scenarios"): "trainee",
    ("POST", "/api/training/sessions"): "trainee",
    ("POST", "/api/training/sessions/<session_id>/replies"): "trainee",
    ("POST", "/api/training/sessions/<session_id>/finish"): "trainee",
}


def route_key(method: str, path: str) -> tuple[str, str]:
    """('GET', 'api/orders/<order_id:str>') -> ('GET', '/api/orders/<order_id>')."""
    return method.upper(), "/" + re.sub(r"<(\w+):[^>]+>", r"<\1>", path.lstrip("/"))


def level_of(method: str, path: str) -> str | None:
    method = "GET" if method.upper() == "HEAD" else method
    return ROUTES.get(route_key(method, path))
