"""Simulation mode on the web app: the trainee's chat page, its JSON API, and the manager's training view.

Practice runs live in this process (one web worker) until finished; finished scorecards are stored in the DB.
Runs are bounded: open runs per trainee and in all, replies per run. A trainee practises under their own login
name; a manager may name the trainee.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request

from bot.training.reports import difficulty_svg, progress_svg, team_report, violations_svg
from bot.training.repository import save_scorecard
from bot.training.simulator import Simulation, TrainingError
from bot.training.trainer import Trainer
from bot.web.console.layout import console_page
from bot.web.limits import validated
from bot.web.schemas import EMPTY, TRAINING_REPLY, TRAINING_START

bp = Blueprint("training")
STATIC = Path(__file__).parent / "static" / "training"
IDLE_SECONDS = 2 * 3600
MAX_REPLY_CHARS = 500
MAX_OPEN_RUNS, MAX_RUNS_PER_TRAINEE, MAX_REPLIES_PER_RUN = 100, 3, 60
bp.static("/training/static", str(STATIC), name="training_static")


@dataclass
class _Run:
    sim: Simulation
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    touched: float = field(default_factory=time.monotonic)
    trainee: str = ""
    replies: int = 0


def _trainer(request: Request):
    ctx = request.app.ctx
    if getattr(ctx, "trainer", None) is None:
        live = getattr(ctx, "library", None)
        ctx.trainer = Trainer(library=live.get if live is not None else None)
        ctx.training_runs = {}
    return ctx.trainer


def _runs(request: Request) -> dict[str, _Run]:
    _trainer(request)
    runs = request.app.ctx.training_runs
    now = time.monotonic()
    for run_id in [k for k, v in runs.items() if now - v.touched > IDLE_SECONDS]:
        del runs[run_id]
    return runs


def _error(message: str, status: int = 400):
    return response.json({"error": message}, status=status)


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
    runs = _runs(request)
    if len(runs) >= MAX_OPEN_RUNS or sum(r.trainee == trainee for r in runs.values()) >= MAX_RUNS_PER_TRAINEE:
        return _error("too many practice runs open; finish one first", 429)
    trainer = _trainer(request)
    try:
        sim = await asyncio.to_thread(trainer.start, body["scenario"], trainee)
    except TrainingError as exc:
        return _error(str(exc))
    runs[sim.id] = _Run(sim, trainee=trainee)
    return response.json({"session_id": sim.id, "scenario": sim.scenario.summary(), "shopper": sim.opening.as_json(),
                          "limits": {"first_reply_seconds": sim.grader.first_reply_seconds,
                                     "reply_seconds": sim.grader.reply_seconds}}, status=201)


def _own_run(request: Request, session_id: str) -> _Run | None:
    """A practice run of the caller (a manager may act on any)."""
    run = _runs(request).get(session_id)
    staff = request.ctx.staff
    return run if run is not None and (staff.role == "manager" or run.trainee == staff.username) else None


@bp.post("/api/training/sessions/<session_id>/replies")
@validated(TRAINING_REPLY)
async def reply(request: Request, session_id: str, body: dict):
    run = _own_run(request, session_id)
    if run is None:
        return _error(f"unknown or expired practice run {session_id}", 404)
    text, client = body["text"], body.get("client_seconds")
    if not text.strip():
        return _error(f"text: a reply of 1-{MAX_REPLY_CHARS} characters")
    if run.replies >= MAX_REPLIES_PER_RUN:
        return _error(f"a practice run takes at most {MAX_REPLIES_PER_RUN} replies; finish it", 429)
    run.replies += 1
    async with run.lock:
        if run.sim.done:
            return _error("this practice run has finished", 409)
        step = await asyncio.to_thread(run.sim.reply, text, None if client is None else round(float(client), 3))
        run.touched = time.monotonic()
    return response.json({
        "reply": {"seconds": step.reply.seconds, "client_seconds": step.reply.client_seconds,
                  "moves": sorted(step.reply.moves), "findings": [f.as_json() for f in step.reply.findings]},
        "shopper": step.shopper.as_json() if step.shopper else None, "done": step.done})


@bp.post("/api/training/sessions/<session_id>/finish")
@validated(EMPTY)
async def finish(request: Request, session_id: str, body: dict):
    run = _own_run(request, session_id)
    if run is not None:
        _runs(request).pop(session_id, None)
    if run is None:
        return _error(f"unknown or expired practice run {session_id}", 404)
    async with run.lock:
        card = await asyncio.to_thread(run.sim.finish)
        run_id = await asyncio.to_thread(save_scorecard, card)
    return response.json({**card.as_json(), "run_id": run_id})


@bp.get("/api/training/runs")
async def runs(request: Request):
    from bot.training.repository import TrainingUnitOfWork

    def load() -> list[dict]:
        with TrainingUnitOfWork() as uow:
            return [{"id": r.id, "trainee": r.trainee, "scenario": r.scenario_id, "total": r.total,
                     "passed": r.passed, "outcome": r.outcome, "finished_at": r.finished_at.isoformat()}
                    for r in uow.training.runs(request.args.get("trainee"), request.args.get("scenario"))]

    return response.json(await asyncio.to_thread(load))


@bp.get("/api/training/runs/<run_id:int>")
async def run_detail(_: Request, run_id: int):
    from bot.training.repository import TrainingUnitOfWork

    def load() -> dict | None:
        with TrainingUnitOfWork() as uow:
            run = uow.training.get(run_id)
            return {**run.scorecard, "run_id": run.id} if run else None

    card = await asyncio.to_thread(load)
    return response.json(card) if card else _error(f"unknown run {run_id}", 404)


@bp.get("/api/training/report")
async def report(request: Request):
    trainer = _trainer(request)
    return response.json((await asyncio.to_thread(team_report, trainer.config.pass_mark)).as_json())


@bp.get("/manager/training")
async def manager_page(request: Request):
    trainer = _trainer(request)

    def build() -> str:
        data = team_report(trainer.config.pass_mark)
        titles = {s.id: s.title for s in trainer.scenarios().scenarios.values()}
        charts = (progress_svg(data), violations_svg(data), difficulty_svg(data)) if data.progress else ()
        return manager_html(data, titles, charts)

    return console_page(request, "培训成绩", await asyncio.to_thread(build), active="/manager/training")


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
