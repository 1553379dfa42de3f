"""`python -m bot.training`: practise a scenario on the command line, let the bot sit the exams, list or check.

    python -m bot.training --list
    python -m bot.training --scenario price_objection --trainee xiaomei [--json] [--no-save]
    python -m bot.training --scenario price_objection --trainee bot     # the bot in the trainee's seat
    python -m bot.training --all --trainee bot [--json]                  # every scenario; exit 1 if any fails
    python -m bot.training --check            # validate scripts_library/training/*.yml (exit 1 on errors)

A person's replies are read from standard input, one per line, when it is not a terminal (scripted practice).
The trainee `bot` is the assistant itself, reached through the running Rasa server at RASA_URL.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import IO

import httpx
from sqlalchemy.exc import SQLAlchemyError

from bot.db.uow import run_in_unit_of_work
from bot.settings import get_settings
from bot.training import bot_seat
from bot.training.exam import ExamResult, sit
from bot.training.reports import save_scorecard
from bot.training.scorecard import format_scorecard
from bot.training.seat import Seat, TerminalSeat, play
from bot.training.simulator import TrainingError
from bot.training.trainer import Trainer

BOT_TRAINEE = "bot"


def make_seat(trainee: str, trainer: Trainer, stdin: IO[str], out: IO[str]) -> Seat:
    """The bot for the trainee name `bot`, else a person typing on `stdin`."""
    if trainee == BOT_TRAINEE:
        return bot_seat.BotSeat(bot_seat.RestTransport(), BOT_TRAINEE)
    ui = trainer.scenarios().texts.ui
    return TerminalSeat(trainee, stdin, out, f"{ui.get('you', 'you')}：")


def _save(card, stderr: IO[str]) -> int | None:
    try:
        return run_in_unit_of_work(save_scorecard, card)
    except SQLAlchemyError as exc:
        stderr.write(f"could not store the scorecard (is the database migrated? `make db`): {exc}\n")
        return None


def practise(trainer: Trainer, scenario_id: str, seat: Seat, as_json: bool, save: bool,
             stdout: IO[str], stderr: IO[str]) -> int:
    """One scenario with the full scorecard (exit 0 whatever the score)."""
    card = play(trainer, scenario_id, seat, stderr if as_json else stdout)  # with --json, stdout: the card only
    run_id = _save(card, stderr) if save else None
    texts = trainer.scenarios().texts
    if as_json:
        stdout.write(json.dumps({**card.as_json(), "run_id": run_id}, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write("\n" + format_scorecard(card, texts.ui, texts.outcomes) + "\n")
    return 0


def examine(trainer: Trainer, scenario_ids: list[str], seat: Seat, as_json: bool, save: bool,
            stdout: IO[str], stderr: IO[str]) -> int:
    """Each scenario in turn: score and pass/fail, the turns and findings of failures; exit 1 if any fails."""
    results: list[ExamResult] = []
    for scenario_id in scenario_ids:
        # A person needs the chat to answer; the bot's turns are printed for failures below (all in the JSON).
        result = sit(trainer, scenario_id, seat, (stderr if as_json else stdout) if seat.watches else None)
        if save:
            result = replace(result, run_id=_save(result.card, stderr))
        results.append(result)
        if not as_json:
            stdout.write((result.summary() if result.passed else result.describe() + "\n") + "\n")
    passed = all(r.passed for r in results)
    if as_json:
        stdout.write(json.dumps({"trainee": seat.name, "passed": passed, "results": [r.as_json() for r in results]},
                                ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(f"{sum(r.passed for r in results)}/{len(results)} scenario(s) passed\n")
    return 0 if passed else 1


def main(argv: list[str] | None = None, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
         stderr: IO[str] = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.training", description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the scenarios")
    parser.add_argument("--check", action="store_true", help="validate the scenario files")
    parser.add_argument("--scenario", help="scenario id to practise")
    parser.add_argument("--all", action="store_true", help="every scenario in turn, as an exam (exit 1 if any fails)")
    parser.add_argument("--trainee", help=f"trainee name (scorecards are stored per trainee); '{BOT_TRAINEE}': "
                                          "the assistant itself, through RASA_URL")
    parser.add_argument("--json", action="store_true", help="print the scorecard (or the list) as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not store the scorecard")
    args = parser.parse_args(argv)
    trainer = Trainer()
    scenario_set = trainer.scenarios()
    if args.check:
        for problem in trainer.errors:
            stdout.write(f"{problem.severity.upper()}: {problem}\n")
        errors = [p for p in trainer.errors if p.severity == "error"]
        stdout.write(f"{len(scenario_set.scenarios)} scenario(s), {len(errors)} error(s)\n")
        return 1 if errors else 0
    for problem in trainer.errors:
        stderr.write(f"{problem.severity.upper()}: {problem}\n")
    if args.list:
        items = [s.summary() for s in scenario_set.scenarios.values()]
        if args.json:
            stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        else:
            stdout.writelines(f"{s['id']:<18} {s['title']}  ({s['skill']})\n" for s in items)
        return 0
    if not ((args.scenario or args.all) and args.trainee):
        parser.print_usage(stderr)
        stderr.write("give --list, --check, or --scenario ID (or --all) --trainee NAME\n")
        return 2
    seat = make_seat(args.trainee, trainer, stdin, stderr if args.json else stdout)
    save = not args.no_save
    try:
        if args.all or not seat.watches:                          # the bot always sits an exam
            ids = sorted(scenario_set.scenarios) if args.all else [args.scenario]
            return examine(trainer, ids, seat, args.json, save, stdout, stderr)
        return practise(trainer, args.scenario, seat, args.json, save, stdout, stderr)
    except TrainingError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    except httpx.HTTPError as exc:
        stderr.write(f"error: no answer from Rasa at RASA_URL={get_settings().rasa_url} ({exc}); it must run "
                     "with the rest channel and --enable-api (`make run`)\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
