"""Staff login (page 登录, JSON API, session cookie with CSRF) and the access check run before every route."""
from __future__ import annotations

import hmac
from html import escape
from urllib.parse import quote, urlsplit

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.security import staff
from bot.security.secrets import get_secret
from bot.security.tokens import StaffIdentity, bearer, csrf_for, issue_staff_token, shopper_session, staff_identity
from bot.web.access import STAFF_LEVELS, level_of
from bot.web.limits import validated
from bot.web.schemas import LOGIN
from bot.web.units import per_request

bp = per_request(Blueprint("auth"))
COOKIE, CSRF_COOKIE = "store_session", "store_csrf"
PAGE_PREFIXES = ("/manager", "/training", "/agent")
THROTTLE = staff.LoginThrottle()


def _error(message: str, status: int):
    return response.json({"error": message}, status=status)


def _staff_from(request: Request) -> tuple[StaffIdentity | None, bool]:
    """The staff identity of the request and whether it came from the cookie (cookie POSTs need CSRF)."""
    header = bearer(request.headers.get("authorization"))
    if header:
        return staff_identity(header), False
    cookie = request.cookies.get(COOKIE)
    return staff_identity(cookie), bool(cookie)


def _csrf_ok(request: Request) -> bool:
    sent = request.headers.get("x-csrf-token") or ""
    if not sent and request.content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = request.form.get("csrf_token") or ""
    return hmac.compare_digest(sent, csrf_for(request.cookies.get(COOKIE, "")))


def _login_redirect(request: Request):
    target = request.path + (f"?{request.query_string}" if request.query_string else "")
    return response.redirect(f"/login?next={quote(target, safe='')}")


async def check_access(request: Request):
    """Sanic request middleware: classify the route, then demand what its level needs."""
    if request.route is None or request.method == "OPTIONS":
        return None
    level = level_of(request.method, request.route.path)
    if level is None:
        return _error("route not classified", 403)
    if level == "public":
        return None
    if level == "internal":
        sent = request.args.get("token") or ""
        return None if hmac.compare_digest(sent, get_secret("RASA_AUTH_TOKEN")) else _error("token required", 401)
    if level == "shopper":
        token = bearer(request.headers.get("authorization")) or request.args.get("token")
        request.ctx.shopper = shopper_session(token)
        return None if request.ctx.shopper else _error("a valid shopper session token is required", 401)
    identity, by_cookie = _staff_from(request)
    if identity is None:
        if request.method == "GET" and request.path.startswith(PAGE_PREFIXES):
            return _login_redirect(request)
        return _error("staff login required", 401)
    if identity.role not in STAFF_LEVELS[level]:
        return _error(f"role {identity.role} may not do this", 403)
    if by_cookie and request.method not in ("GET", "HEAD") and not _csrf_ok(request):
        return _error("missing or wrong CSRF token", 403)
    request.ctx.staff = identity
    return None


LANDING = {"manager": "/manager", "agent": "/manager/handoffs", "trainee": "/training"}


def _safe_next(target: str | None) -> str:
    """Only paths on this site (no scheme, no host) are followed after login; '' means the role's landing page."""
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target


def login_page(next_url: str, error: str = "") -> str:
    message = f"<p class='bad'>{escape(error)}</p>" if error else ""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:360px;margin:4rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0}}input{{width:100%;padding:.4rem}}.bad{{color:#b00020}}</style></head><body>
<h1>登录</h1><p>店长、客服和培训学员请登录后使用后台页面。</p>{message}
<form method="post" action="/login"><input type="hidden" name="next" value="{escape(next_url, quote=True)}">
<label>用户名<input name="username" autocomplete="username" required maxlength="64"></label>
<label>密码<input name="password" type="password" autocomplete="current-password" required maxlength="72"></label>
<button type="submit">登录</button></form></body></html>"""


async def _login(request: Request, username: str, password: str):
    """(identity, None) or (None, (message, status)) with throttling by user name and client address."""
    keys = (f"user:{username}", f"ip:{request.remote_addr or request.ip}")
    wait = THROTTLE.retry_after(*keys)
    if wait:
        return None, (f"too many failed logins; try again in {wait} s", 429)
    identity = await in_worker(staff.authenticate, username, password)
    if identity is None:
        THROTTLE.failed(*keys)
        return None, ("wrong user name or password", 401)
    THROTTLE.succeeded(keys[0])
    return identity, None


def _with_session(resp, token: str):
    resp.cookies[COOKIE] = token
    resp.cookies[COOKIE].update({"httponly": True, "samesite": "Strict", "path": "/", "max-age": 12 * 3600})
    resp.cookies[CSRF_COOKIE] = csrf_for(token)
    resp.cookies[CSRF_COOKIE].update({"samesite": "Strict", "path": "/", "max-age": 12 * 3600})
    return resp


@bp.get("/login")
async def login_form(request: Request):
    return response.html(login_page(_safe_next(request.args.get("next"))))


@bp.post("/login")
async def login_submit(request: Request):
    form = request.form
    username, password = form.get("username") or "", form.get("password") or ""
    next_url = _safe_next(form.get("next"))
    identity, problem = await _login(request, username[:64], password[:200])
    if identity is None:
        text = "登录尝试过多，请稍后再试" if problem[1] == 429 else "用户名或密码错误"
        return response.html(login_page(next_url, text), status=problem[1])
    return _with_session(response.redirect(next_url or LANDING.get(identity.role, "/manager")),
                         issue_staff_token(identity.username, identity.role))


@bp.post("/api/auth/login")
@validated(LOGIN)
async def login_api(request: Request, body: dict):
    identity, problem = await _login(request, body["username"], body["password"])
    if identity is None:
        return _error(*problem)
    token = issue_staff_token(identity.username, identity.role)
    return _with_session(response.json({"token": token, "role": identity.role, "csrf_token": csrf_for(token)}),
                         token)


@bp.post("/logout")
async def logout(_: Request):
    resp = response.redirect("/login")
    del resp.cookies[COOKIE]
    del resp.cookies[CSRF_COOKIE]
    return resp
