"""The console's staff accounts: who may log in with which role; a manager adds accounts here."""
from __future__ import annotations

import secrets

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.security import staff
from bot.web.console.layout import ROLE_NAMES, console_page, table_html
from bot.web.limits import validated
from bot.web.schemas import STAFF_ADD
from bot.web.units import per_request

bp = per_request(Blueprint("console_staff"))

_SCRIPT = """
document.getElementById('staff-form').addEventListener('submit', function (event) {
  event.preventDefault();
  var form = event.target, out = form.querySelector('.result');
  var csrf = (document.cookie.match(/(?:^|;\\s*)store_csrf=([^;]+)/) || [])[1] || '';
  var body = {username: form.username.value.trim(), role: form.role.value};
  if (form.password.value) body.password = form.password.value;
  fetch('/api/console/staff', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
    body: JSON.stringify(body)}).then(function (r) { return r.json().then(function (b) {
      out.className = 'result ' + (r.ok ? 'ok' : 'bad');
      out.textContent = r.ok ? '已添加 ' + b.username + (b.password ? '，初始密码：' + b.password + '（只显示这一次）' : '')
                             : b.error;
    }); });
});
"""


@bp.get("/manager/staff")
async def staff_page(request: Request):
    rows = [{"username": u, "role": ROLE_NAMES.get(r, r), "created_at": c}
            for u, r, c in await in_worker(staff.list_staff)]
    options = "".join(f"<option value='{k}'>{v}</option>" for k, v in ROLE_NAMES.items())
    body = (table_html([("username", "用户名"), ("role", "角色"), ("created_at", "创建时间（UTC）")], rows) +
            f"""<h2>添加账号</h2><form id="staff-form"><label>用户名 <input name="username" required maxlength="64"
pattern="[A-Za-z0-9_.\\-]+"></label> <label>角色 <select name="role">{options}</select></label>
<label>密码（留空则自动生成，至少 {staff.MIN_PASSWORD} 位）<input name="password" type="password" maxlength="72"></label>
<button>添加</button> <span class="result" aria-live="polite"></span></form><script>{_SCRIPT}</script>""")
    return console_page(request, "员工账号", body, active="/manager/staff")


@bp.post("/api/console/staff")
@validated(STAFF_ADD)
async def add_staff(_: Request, body: dict):
    password = body.get("password") or secrets.token_urlsafe(15)
    try:
        await in_worker(staff.add_staff, body["username"], password, body["role"])
    except staff.StaffError as exc:
        return response.json({"error": str(exc)}, status=409 if "exists" in str(exc) else 400)
    shown = None if body.get("password") else password
    return response.json({"username": body["username"], "role": body["role"], "password": shown}, status=201)
