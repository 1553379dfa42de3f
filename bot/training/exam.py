"""Exams: scenarios played to the end by one seat (usually the bot), each result with what happened per turn.

    results = [sit(trainer, scenario_id, BotSeat(RestTransport())) for scenario_id in trainer.scenarios().scenarios]
    [r.describe() for r in results if not r.passed]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from bot.training.grader import Finding
from bot.training.scorecard import Scorecard
from bot.training.seat import Seat, play
from bot.training.trainer import Trainer


@dataclass(frozen=True)
class ExamTurn:
    """One thing the shopper did and the reply it got (None: no reply came, and the run ended there)."""

    turn: str
    shopper: str
    reply: str | None
    findings: tuple[Finding, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "shopper": self.shopper, "reply": self.reply,
                "findings": [f.code for f in self.findings]}


@dataclass(frozen=True)
class ExamResult:
    card: Scorecard
    turns: tuple[ExamTurn, ...]
    run_id: int | None = None

    @property
    def passed(self) -> bool:
        return self.card.passed

    def summary(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (f"{self.card.scenario_id}: {self.card.total}/100 (pass mark {self.card.pass_mark}) {verdict}, "
                f"outcome {self.card.outcome}")

    def describe(self) -> str:
        """The summary, each turn (shopper line, reply, findings) and the checkpoints that were missed."""
        lines = [self.summary()]
        for index, turn in enumerate(self.turns, start=1):
            lines.append(f"  #{index} [{turn.turn}] shopper: {turn.shopper}")
            reply = turn.reply.replace("\n", "\n       ") if turn.reply is not None else "(no reply)"
            lines.append(f"     {self.card.trainee}: {reply}")
            lines += [f"     - {f.code} ({f.severity}): {f.explanation}" for f in turn.findings]
        for checkpoint in self.card.checkpoints:
            if not checkpoint.passed:
                why = [f"missing one of {', '.join(checkpoint.missing)}"] if checkpoint.missing else []
                why += [f"failed by {', '.join(checkpoint.failed_by)}"] if checkpoint.failed_by else []
                why = why or ["no reply at its turns"]
                lines.append(f"  checkpoint {checkpoint.id} ({checkpoint.weight}) missed: {'; '.join(why)}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {**self.card.as_json(), "run_id": self.run_id, "turns": [t.as_json() for t in self.turns]}


def exam_turns(card: Scorecard) -> tuple[ExamTurn, ...]:
    """The transcript as (shopper line or stage note, reply, findings) per turn."""
    turns: list[ExamTurn] = []
    said: dict[str, Any] | None = None
    replies = 0
    for entry in card.transcript:
        if entry["role"] in ("note", "shopper"):
            said = entry if said is None or said["turn"] != entry["turn"] else {**said, "text": entry["text"]}
            continue
        findings = tuple(f for f in card.findings if f.reply == replies)
        turns.append(ExamTurn(entry["turn"], said["text"] if said else "", entry["text"], findings))
        said, replies = None, replies + 1
    if said is not None and card.outcome == "unfinished":      # the shopper's last line got no reply
        turns.append(ExamTurn(said["turn"], said["text"], None))
    return tuple(turns)


def sit(trainer: Trainer, scenario_id: str, seat: Seat, out: IO[str] | None = None) -> ExamResult:
    """Play the scenario with `seat` (the chat goes to `out` when given)."""
    card = play(trainer, scenario_id, seat, out)
    return ExamResult(card, exam_turns(card))
