"""Grading: findings per trainee reply (the shared service rules, timing, expected moves) and checkpoints."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable

from bot.rules.checks import ReplyContext, check_reply
from bot.scripts.placeholders import fill
from bot.training.types import Better, Checkpoint, Cue, Scenario, ScenarioTurn, TrainingTexts


@dataclass(frozen=True)
class Finding:
    """One problem in one reply; explains itself and shows a better reply from the script library."""

    code: str
    severity: str
    turn: str
    reply: int
    title: str
    explanation: str
    span: str = ""
    better_response: str | None = None
    better_text: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Reply:
    """A graded trainee reply."""

    index: int
    turn: str
    text: str
    moves: frozenset[str]
    seconds: float | None
    client_seconds: float | None
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class CheckpointResult:
    id: str
    title: str
    weight: int
    passed: bool
    evidence: str = ""
    missing: tuple[str, ...] = ()
    failed_by: tuple[str, ...] = ()
    better_response: str | None = None
    better_text: str | None = None

    @property
    def score(self) -> int:
        return self.weight if self.passed else 0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "missing": list(self.missing), "failed_by": list(self.failed_by), "score": self.score}


BetterText = Callable[[Better | None, tuple[str, ...]], str | None]


@dataclass
class Grader:
    """Grades replies of one scenario run. `better` renders a Better spec (given the replies so far)."""

    scenario: Scenario
    texts: TrainingTexts
    better: BetterText
    first_reply_seconds: float
    reply_seconds: float
    style: str = "lively"

    def _finding(self, code: str, turn: ScenarioTurn, reply: int, span: str = "", severity: str = "error",
                 better: Better | None = None, previous: tuple[str, ...] = (), **values: Any) -> Finding:
        entry = self.texts.findings.get(code, {"title": code, "explain": code})
        explanation = fill(entry["explain"], {"span": span, **{k: str(v) for k, v in values.items()}})
        spec = better or turn.better
        text = self.better(spec, previous) if spec else None
        return Finding(code, severity, turn.id, reply, entry["title"], explanation, span,
                       spec.response if spec and text else None, text)

    def grade(self, turn: ScenarioTurn, text: str, moves: frozenset[str], earlier: list[Reply], seconds: float | None
              ) -> list[Finding]:
        """Findings of one reply given the replies before it."""
        index, previous = len(earlier), tuple(r.text for r in earlier)
        done = frozenset().union(*(r.moves for r in earlier)) | moves
        context = ReplyContext(situation=self.scenario.situation_at(turn), style=self.style,
                               previous_bot_texts=previous, shopper_text=turn.shopper or "")
        findings: list[Finding] = []
        for violation in check_reply(text, context):
            if violation.rule == "no_apology" and any("apologises" in r.moves for r in earlier):
                continue  # apologised already; later replies move on to the remedy
            findings.append(self._finding(violation.rule, turn, index, violation.span, violation.severity,
                                          previous=previous))
        if seconds is not None and not turn.silent:
            limit = self.first_reply_seconds if index == 0 else self.reply_seconds
            if seconds > limit:
                code = "slow_first_reply" if index == 0 else "slow_reply"
                findings.append(self._finding(code, turn, index, severity="warning", previous=previous,
                                              seconds=f"{seconds:.1f}", limit=f"{limit:g}"))
        for cue in turn.expect:
            if not cue.any & (done if cue.earlier_counts else moves):
                findings.append(self._cue_finding(cue, turn, index, previous))
        for cue in turn.forbid:
            if cue.any & moves:
                findings.append(self._cue_finding(cue, turn, index, previous))
        unique: dict[str, Finding] = {}
        for finding in findings:
            unique.setdefault(finding.code, finding)
        return list(unique.values())

    def _cue_finding(self, cue: Cue, turn: ScenarioTurn, index: int, previous: tuple[str, ...]) -> Finding:
        kind = self.texts.relation_kinds.get(cue.related or "", "")
        labels = "、".join(self.texts.moves.get(m, m) for m in sorted(cue.any))
        return self._finding(cue.finding, turn, index, better=cue.better, previous=previous, kind=kind, moves=labels)

    def checkpoints(self, replies: list[Reply]) -> list[CheckpointResult]:
        return [self._checkpoint(c, replies) for c in self.scenario.checkpoints]

    def _better_for(self, checkpoint: Checkpoint) -> Better | None:
        """The better reply of the checkpoint's first turn, else of the first cue expecting one of its moves."""
        turns = self.scenario.turns
        spec = next((turns[t].better for t in checkpoint.turns if turns[t].better), None)
        cues = ((cue, turn) for turn in turns.values() for cue in turn.expect if cue.any & checkpoint.require)
        return spec or next((cue.better or turn.better for cue, turn in cues if cue.better or turn.better), None)

    def _checkpoint(self, checkpoint: Checkpoint, replies: list[Reply]) -> CheckpointResult:
        relevant = [r for r in replies if not checkpoint.turns or r.turn in checkpoint.turns]
        met = [r for r in relevant if r.moves & checkpoint.require]
        failed_by = tuple(sorted({f.code for r in relevant for f in r.findings if f.code in checkpoint.avoid}))
        missing = tuple(sorted(checkpoint.require)) if checkpoint.require and not met else ()
        passed = bool(relevant) and not missing and not failed_by
        evidence = met[0].text if met else ""
        spec = None if passed else checkpoint.better or self._better_for(checkpoint)
        better_text = self.better(spec, tuple(r.text for r in replies)) if spec else None
        better_response = spec.response if spec and better_text else None
        if not passed and better_text is None:      # an `avoid` checkpoint: the first offending finding's
            finding = next((f for r in relevant for f in r.findings if f.code in failed_by and f.better_text), None)
            if finding:
                better_response, better_text = finding.better_response, finding.better_text
        return CheckpointResult(checkpoint.id, checkpoint.title, checkpoint.weight, passed, evidence, missing,
                                failed_by, better_response, better_text)
