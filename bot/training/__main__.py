"""`python -m bot.training`: practise a scenario on the command line, list or check the scenarios.

    python -m bot.training --list
    python -m bot.training --scenario price_objection --trainee xiaomei [--json] [--no-save]
    python -m bot.training --check            # validate scripts_library/training/*.yml (exit 1 on errors)

Replies are read from standard input, one per line, when it is not a terminal (scripted practice).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Iterator

from sqlalchemy.exc import SQLAlchemyError

from bot.training.scorecard import format_scorecard
from bot.training.service import Trainer
from bot.training.simulator import ShopperLine, TrainingError


def _replies(stdin: IO[str], out: IO[str], prompt: str) -> Iterator[str]:
    """Lines of a pipe, or prompted lines of a terminal; blank lines are skipped."""
    interactive = stdin.isatty()
    while True:
        if interactive:
            out.write(prompt)
            out.flush()
        line = stdin.readline()
        if not line:
            return
        if line.strip():
            yield line.strip()


def _show(line: ShopperLine | None, out: IO[str], label: str) -> None:
    if line is None:
        return
    if line.note:
        out.write(f"{line.note}\n")
    if line.text:
        out.write(f"{label}：{line.text}\n")
    out.flush()


def practise(trainer: Trainer, scenario_id: str, trainee: str, as_json: bool, save: bool,
             stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    run = trainer.start(scenario_id, trainee)
    ui = trainer.scenarios().texts.ui
    talk = stderr if as_json else stdout          # with --json, stdout carries only the scorecard
    talk.write(f"{run.scenario.title} · {ui.get('persona', '')}：{run.scenario.persona_profile}\n")
    _show(run.opening, talk, ui.get("shopper", "shopper"))
    for text in _replies(stdin, talk, f"{ui.get('you', 'you')}："):
        step = run.reply(text)
        _show(step.shopper, talk, ui.get("shopper", "shopper"))
        if step.done:
            break
    card = run.finish()
    run_id = None
    if save:
        from bot.training.repository import save_scorecard

        try:
            run_id = save_scorecard(card)
        except SQLAlchemyError as exc:
            stderr.write(f"could not store the scorecard (is the database migrated? `make db`): {exc}\n")
    if as_json:
        stdout.write(json.dumps({**card.as_json(), "run_id": run_id}, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write("\n" + format_scorecard(card, ui, trainer.scenarios().texts.outcomes) + "\n")
    return 0


def main(argv: list[str] | None = None, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
         stderr: IO[str] = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.training", description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the scenarios")
    parser.add_argument("--check", action="store_true", help="validate the scenario files")
    parser.add_argument("--scenario", help="scenario id to practise")
    parser.add_argument("--trainee", help="trainee name (scorecards are stored per trainee)")
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
    if not (args.scenario and args.trainee):
        parser.print_usage(stderr)
        stderr.write("give --list, --check, or --scenario ID --trainee NAME\n")
        return 2
    try:
        return practise(trainer, args.scenario, args.trainee, args.json, not args.no_save, stdin, stdout, stderr)
    except TrainingError as exc:
        stderr.write(f"error: {exc}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
