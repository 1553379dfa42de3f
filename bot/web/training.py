"""Simulation mode on the web app: the trainee's chat page, its JSON API, and the manager's training view.

Practice runs in progress and finished scorecards are stored in the database (`bot/training/practice.py`), so
any web process behind the balancer serves any reply. Runs are bounded: open runs per trainee and in all,
replies per run. A trainee practises under their own login name; a manager may name the trainee. Each request
has one unit of work (bot/web/units.py); the use cases run in it off the event loop (`in_worker`).
"""
from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.db.uow import AbstractUnitOfWork
from bot.training.practice import Limits, RunBusy, RunLimit, UnknownRun, finish_run, reply_to_run, start_run
from bot.training.reports import difficulty_svg, progress_svg, team_report, violations_svg
from bot.training.simulator import TrainingError
from bot.training.trainer import Trainer
from bot.web.console.layout import console_page
from bot.web.limits import validated
from bot.web.schemas import EMPTY, TRAINING_REPLY, TRAINING_START
from bot.web.units import per_request

bp = per_request(Blueprint("training"))
STATIC = Path(__file__).parent / "static" / "training"
MAX_REPLY_CHARS = 500
LIMITS = Limits(open_runs=100, runs_per_trainee=3, replies_per_run=60)
STATUS = {UnknownRun: 404, RunLimit: 429, RunBusy: 409}
bp.static("/training/static", str(STATIC), name="training_static")


def _trainer(request: Request):
    ctx = request.app.ctx
    if getattr(ctx, "trainer", None) is None:
        live = getattr(ctx, "library", None)
        ctx.trainer = Trainer(library=live.get if live is not None else None)
    return ctx.trainer


def _error(message: str, status: int = 400):
    return response.json({"error": message}, status=status)


def _failed(exc: TrainingError):
    return _error(str(exc), STATUS.get(type(exc), 400))


def _owner(request: Request) -> str | None:
    """Whose runs the caller may act on: a manager any (None), everyone else their own."""
    staff = request.ctx.staff
    return None if staff.role == "manager" else staff.username


@bp.get("/training")
async def page(_: Request):
    return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8")


@bp.get("/api/training/scenarios")
async def scenarios(request: Request):
    trainer = _trainer(request)
    scenario_set = await asyncio.to_thread(trainer.scenarios)
    return response.json({
        "scenarios": [s.summary() for s in scenario_set.scenarios.values()], "ui": scenario_set.texts.ui,
        "findings": scenario_set.texts.findings, "outcomes": scenario_set.texts.outcomes,
        "errors": [str(e) for e in trainer.errors if e.severity == "error"],
    })


@bp.post("/api/training/sessions")
@validated(TRAINING_START)
async def start(request: Request, body: dict):
    staff = request.ctx.staff
    trainee = (body.get("trainee") or staff.username) if staff.role == "manager" else staff.username
    try:
        sim = await in_worker(start_run, _trainer(request), body["scenario"], trainee, LIMITS)
    except TrainingError as exc:
        return _failed(exc)
    return response.json({"session_id": sim.id, "scenario": sim.scenario.summary(), "shopper": sim.opening.as_json(),
                          "limits": {"first_reply_seconds": sim.grader.first_reply_seconds,
                                     "reply_seconds": sim.grader.reply_seconds}}, status=201)


@bp.post("/api/training/sessions/<session_id>/replies")
@validated(TRAINING_REPLY)
async def reply(request: Request, session_id: str, body: dict):
    text, client = body["text"], body.get("client_seconds")
    if not text.strip():
        return _error(f"text: a reply of 1-{MAX_REPLY_CHARS} characters")
    seconds = None if client is None else round(float(client), 3)
    try:
        step = await in_worker(reply_to_run, _trainer(request), session_id, text, seconds, _owner(request), LIMITS)
    except TrainingError as exc:
        return _failed(exc)
    return response.json({
        "reply": {"seconds": step.reply.seconds, "client_seconds": step.reply.client_seconds,
                  "moves": sorted(step.reply.moves), "findings": [f.as_json() for f in step.reply.findings]},
        "shopper": step.shopper.as_json() if step.shopper else None, "done": step.done})


@bp.post("/api/training/sessions/<session_id>/finish")
@validated(EMPTY)
async def finish(request: Request, session_id: str, body: dict):
    try:
        card, run_id = await in_worker(finish_run, _trainer(request), session_id, _owner(request))
    except TrainingError as exc:
        return _failed(exc)
    return response.json({**card.as_json(), "run_id": run_id})


@bp.get("/api/training/runs")
async def runs(request: Request):
    def load(uow: AbstractUnitOfWork) -> list[dict]:
        return [{"id": r.id, "trainee": r.trainee, "scenario": r.scenario_id, "total": r.total,
                 "passed": r.passed, "outcome": r.outcome, "finished_at": r.finished_at.isoformat()}
                for r in uow.training.runs(request.args.get("trainee"), request.args.get("scenario"))]

    return response.json(await in_worker(load))


@bp.get("/api/training/runs/<run_id:int>")
async def run_detail(_: Request, run_id: int):
    def load(uow: AbstractUnitOfWork) -> dict | None:
        run = uow.training.get(run_id)
        return {**run.scorecard, "run_id": run.id} if run else None

    card = await in_worker(load)
    return response.json(card) if card else _error(f"unknown run {run_id}", 404)


@bp.get("/api/training/report")
async def report(request: Request):
    trainer = _trainer(request)
    return response.json((await in_worker(team_report, trainer.config.pass_mark)).as_json())


@bp.get("/manager/training")
async def manager_page(request: Request):
    trainer = _trainer(request)

    def build(uow: AbstractUnitOfWork) -> str:
        data = team_report(uow, trainer.config.pass_mark)
        titles = {s.id: s.title for s in trainer.scenarios().scenarios.values()}
        charts = (progress_svg(data), violations_svg(data), difficulty_svg(data)) if data.progress else ()
        return manager_html(data, titles, charts)

    return console_page(request, "培训成绩", await in_worker(build), active="/manager/training")


def manager_html(data, titles: dict[str, str], charts: tuple[str, ...]) -> str:
    """The body of the manager's training view (Chinese; every value is HTML-escaped)."""
    trainees = "".join(
        f"<tr><td>{escape(t['trainee'])}</td><td>{t['runs']}</td><td>{t['average']}</td><td>{t['best']}</td>"
        f"<td>{t['last']}</td><td>{t['passed']}</td><td>{escape(t['last_at'][:16])}</td></tr>"
        for t in data.trainees())
    violations = "".join(f"<tr><td><code>{escape(code)}</code></td><td>{count}</td><td>{people}</td></tr>"
                         for code, count, people in data.violations)
    difficulty = "".join(
        f"<tr><td>{escape(s)}</td><td>{escape(titles.get(s, ''))}</td><td>{n}</td><td>{avg:.1f}</td>"
        f"<td>{rate:.0%}</td></tr>" for s, n, avg, rate in data.difficulty)
    body = "".join(f"<figure>{svg}</figure>" for svg in charts) or "<p class='muted'>还没有练习记录。</p>"
    return f"""<p><a href="/training">练习页面</a> · <a href="/api/training/report">JSON</a></p>
{body}
<h2>学员</h2><table><tr><th>学员</th><th>练习次数</th><th>平均分</th><th>最高分</th><th>最近得分</th>
<th>通过次数</th><th>最近练习（UTC）</th></tr>{trainees}</table>
<h2>最常见的违规</h2><table><tr><th>问题</th><th>次数</th><th>涉及学员</th></tr>{violations}</table>
<h2>场景难度</h2><table><tr><th>场景</th><th>标题</th><th>练习次数</th><th>平均分</th><th>通过率</th>
</tr>{difficulty}</table>"""
