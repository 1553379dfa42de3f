"""Signed tokens (PyJWT, HS256): shopper chat sessions, staff sessions, and the CSRF value of a staff session."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import jwt

from bot.security.secrets import get_secret

ALGORITHM = "HS256"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SHOPPER_DAYS = 30
STAFF_HOURS = 12


def _key(purpose: str) -> bytes:
    """One key per purpose, derived from SESSION_SECRET: a staff token never passes as a shopper token."""
    return hmac.new(get_secret("SESSION_SECRET").encode(), purpose.encode(), hashlib.sha256).digest()


def shopper_key() -> str:
    """The key of shopper tokens (also what Rasa's socket.io channel would take as `jwt_key`)."""
    return _key("shopper").hex()


def new_session_id() -> str:
    return secrets.token_urlsafe(18)


def issue_shopper_token(session_id: str, days: int = SHOPPER_DAYS) -> str:
    now = int(time.time())
    claims = {"sid": session_id, "kind": "shopper", "iat": now, "exp": now + days * 86400}
    return jwt.encode(claims, shopper_key(), algorithm=ALGORITHM)


def shopper_session(token: str | None) -> str | None:
    """The session id a valid shopper token was issued for; None for anything else."""
    if not token or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, shopper_key(), algorithms=[ALGORITHM], options={"require": ["exp", "sid"]})
    except jwt.PyJWTError:
        return None
    sid = claims.get("sid")
    return sid if claims.get("kind") == "shopper" and isinstance(sid, str) and SESSION_ID.match(sid) else None


@dataclass(frozen=True)
class StaffIdentity:
    username: str
    role: str


def issue_staff_token(username: str, role: str, hours: int = STAFF_HOURS) -> str:
    now = int(time.time())
    claims = {"sub": username, "role": role, "kind": "staff", "iat": now, "exp": now + hours * 3600}
    return jwt.encode(claims, _key("staff").hex(), algorithm=ALGORITHM)


def staff_identity(token: str | None) -> StaffIdentity | None:
    if not token or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, _key("staff").hex(), algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    if claims.get("kind") != "staff" or not isinstance(claims.get("role"), str):
        return None
    return StaffIdentity(str(claims["sub"]), claims["role"])


def csrf_for(token: str) -> str:
    """The CSRF value that goes with one staff session (forms and cookie-authenticated fetches send it)."""
    return hmac.new(_key("csrf"), token.encode(), hashlib.sha256).hexdigest()[:32]


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
