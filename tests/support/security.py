"""Test helpers for the security model: shopper sessions, staff logins, signed payment notifications."""
from __future__ import annotations

import os
import secrets

import httpx

from bot.security.tokens import issue_shopper_token, new_session_id

STAFF_PASSWORD = "correct-horse-battery"


def shopper(web_url: str | None = None) -> tuple[str, str]:
    """(session_id, token): from the web app's `POST /api/chat/session`, or signed in-process (same secret)."""
    if web_url is None:
        session_id = new_session_id()
        return session_id, issue_shopper_token(session_id)
    reply = httpx.post(f"{web_url}/api/chat/session", timeout=10)
    assert reply.status_code == 201, reply.text
    return reply.json()["session_id"], reply.json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def rasa_token() -> dict[str, str]:
    """Query parameters every caller of Rasa's HTTP API sends."""
    return {"token": os.environ["RASA_AUTH_TOKEN"]}


def ensure_staff(username: str, role: str) -> None:
    """A staff account in the test database (idempotent)."""
    from bot.security.staff import StaffError, add_staff

    try:
        add_staff(username, STAFF_PASSWORD, role)
    except StaffError as exc:
        assert "exists" in str(exc), exc


def staff_login(web_url: str, role: str) -> dict:
    """Log a `<role>-test` account in through the API; returns the login answer (token, role, csrf_token)."""
    if role == "manager":
        username, password = os.environ["STORE_ADMIN_USER"], os.environ["STORE_ADMIN_PASSWORD"]
    else:
        username, password = f"{role}-test", STAFF_PASSWORD
        ensure_staff(username, role)
    reply = httpx.post(f"{web_url}/api/auth/login", json={"username": username, "password": password}, timeout=20)
    assert reply.status_code == 200, reply.text
    return reply.json()


def staff_headers(web_url: str, role: str) -> dict[str, str]:
    return bearer(staff_login(web_url, role)["token"])


def notify_payment(web_url: str, order_id: str, amount: float, trade_no: str | None = None,
                   secret: str | None = None) -> httpx.Response:
    """A provider's notification, signed as bot.payments expects (or with another `secret`)."""
    from bot.payments.service import encode, sign

    raw = encode({"order_id": order_id, "amount": amount, "trade_no": trade_no or secrets.token_hex(8)})
    headers = {"Content-Type": "application/json", "X-Payment-Signature": sign(raw, secret)}
    return httpx.post(f"{web_url}/api/payments/notify", content=raw, headers=headers, timeout=10)
