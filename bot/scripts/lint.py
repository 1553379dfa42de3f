"""`make lint-scripts`: validate the script library and check it covers every response the bot uses.

Exits 1 when there is any error (YAML syntax, schema, duplicate keys, unknown placeholders, service-rule
violations, responses used by the domain or the code but missing from the library).
"""
from __future__ import annotations

import argparse
import re
import sys
import tokenize
from pathlib import Path

import yaml

from bot.scripts.documents import LibraryError
from bot.scripts.loader import load_library
from bot.scripts.render import GUARD_FALLBACK
from bot.settings import PROJECT_ROOT

CODE_DIRS = ("actions", "channels", "bot")
NOT_RESPONSES = {"utter_action"}  # Rasa's metadata key naming the response of a bot message
# A string literal that is exactly a response name ("utter_..."); read with tokenize, not ast: the action server
# builds its library in a warm-up thread, and Python 3.11's ast module is not safe in two threads at once.
_RESPONSE_LITERAL = re.compile(r"""^[rRuU]?(["'])(utter_\w+)\1$""")


def responses_in_domain(domain_dir: Path) -> dict[str, str]:
    used: dict[str, str] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        for name in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("actions", []) or []:
            if str(name).startswith("utter_"):
                used[name] = f"{domain_dir.name}/{path.name}"
    return used


def responses_in_code(root: Path) -> dict[str, str]:
    """Every string literal that names a response (`"utter_..."`) in the bot's code."""
    used: dict[str, str] = {}
    for directory in CODE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            with path.open("rb") as source:
                for token in tokenize.tokenize(source.readline):
                    found = _RESPONSE_LITERAL.match(token.string) if token.type == tokenize.STRING else None
                    name = found.group(2) if found else ""
                    if name and not name.endswith("_") and name not in NOT_RESPONSES:
                        used.setdefault(name, f"{path.relative_to(root)}:{token.start[0]}")
    return used


def lint(scripts_dir: Path, root: Path = PROJECT_ROOT) -> list[LibraryError]:
    library, problems = load_library(scripts_dir)
    wanted = {**responses_in_code(root), **responses_in_domain(root / "domain"), GUARD_FALLBACK: "bot/scripts/render.py"}
    for name, where in sorted(wanted.items()):
        if name not in library.responses:
            problems.append(LibraryError(where.split(":")[0], int(where.split(":")[1]) if ":" in where else 1,
                                         name, "response is used here but missing from the script library"))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default=str(PROJECT_ROOT / "scripts_library"))
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = parser.parse_args(argv)
    problems = lint(Path(args.directory))
    errors = [p for p in problems if p.severity == "error" or args.strict]
    for problem in problems:
        print(f"{problem.severity.upper()}: {problem}")
    print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
