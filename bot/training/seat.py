"""Who sits in the trainee's seat, and one loop that plays a scenario with whoever sits there.

A seat answers each thing the simulated shopper does (a line, or a stage note such as "she went silent"):
a person at the terminal (`TerminalSeat`) or the assistant itself (`bot.training.bot_seat.BotSeat`).

    card = play(Trainer(), "price_objection", TerminalSeat("xiaomei", sys.stdin, sys.stdout), out=sys.stdout)
"""
from __future__ import annotations

from typing import IO, Protocol

from bot.training.scorecard import Scorecard
from bot.training.simulator import ShopperLine
from bot.training.trainer import Trainer
from bot.training.types import Scenario


class Seat(Protocol):
    name: str       # the trainee name on the scorecard
    watches: bool   # reads the chat to answer it (a person; their own typing is on screen already)

    def begin(self, scenario: Scenario) -> None:
        """A new run of this scenario starts (a fresh conversation)."""

    def answer(self, line: ShopperLine) -> str | None:
        """The reply to what the shopper just did; None when no reply comes (the run ends there)."""

    def end(self) -> None:
        """The run is over (release what `begin` or `answer` set up)."""


class TerminalSeat:
    """A person: prompted replies on a terminal, or one reply per line from a pipe (blank lines are skipped)."""

    watches = True

    def __init__(self, name: str, stdin: IO[str], out: IO[str], prompt: str = "> ") -> None:
        self.name, self.stdin, self.out, self.prompt = name, stdin, out, prompt

    def begin(self, scenario: Scenario) -> None:
        pass

    def answer(self, line: ShopperLine) -> str | None:
        interactive = self.stdin.isatty()
        while True:
            if interactive:
                self.out.write(self.prompt)
                self.out.flush()
            text = self.stdin.readline()
            if not text:
                return None
            if text.strip():
                return text.strip()

    def end(self) -> None:
        pass


def show(line: ShopperLine | None, out: IO[str] | None, label: str) -> None:
    if line is None or out is None:
        return
    if line.note:
        out.write(f"{line.note}\n")
    if line.text:
        out.write(f"{label}：{line.text}\n")
    out.flush()


def play(trainer: Trainer, scenario_id: str, seat: Seat, out: IO[str] | None = None) -> Scorecard:
    """Play one scenario with `seat` in the trainee's seat; the chat goes to `out` when given."""
    run = trainer.start(scenario_id, seat.name)
    ui = trainer.scenarios().texts.ui
    shopper = ui.get("shopper", "shopper")
    if out is not None:
        out.write(f"{run.scenario.title} · {ui.get('persona', '')}：{run.scenario.persona_profile}\n")
    seat.begin(run.scenario)
    try:
        line: ShopperLine | None = run.opening
        while not run.done and line is not None:
            show(line, out, shopper)
            text = seat.answer(line)
            if not text:
                break
            if not seat.watches and out is not None:
                out.write(f"{seat.name}：{text}\n")
            line = run.reply(text).shopper
        if run.done:
            show(line, out, shopper)
    finally:
        seat.end()
    return run.finish()
