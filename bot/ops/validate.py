"""`rasa data validate --fail-on-warnings`, except for intents the product sends itself.

EXTERNAL_* intents are triggered through Rasa's trigger_intent API by the reminder scheduler and the web app;
shoppers never type them, so they have no NLU examples by design. Every other warning fails the build.
"""
from __future__ import annotations

import re
import sys
import warnings

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.common import EXPECTED_WARNINGS
from rasa.validator import Validator

from bot.settings import PROJECT_ROOT

EXPECTED = [re.compile(r"The intent 'EXTERNAL_")] + [re.compile(text) for _, text in EXPECTED_WARNINGS]


def _expected(message: str) -> bool:
    """Warnings Rasa itself silences, and the EXTERNAL_* intents explained above."""
    return any(pattern.match(message) for pattern in EXPECTED)


def validate() -> list[str]:
    """Return every problem found in the domain, NLU data, rules and stories."""
    importer = TrainingDataImporter.load_from_dict(
        config_path=str(PROJECT_ROOT / "config.yml"),
        domain_path=str(PROJECT_ROOT / "domain"),
        training_data_paths=[str(PROJECT_ROOT / "data" / d) for d in ("nlu", "rules", "stories")],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator = Validator.from_importer(importer)
        checks = [
            validator.verify_domain_validity(),
            validator.verify_actions_in_stories_rules(),
            validator.verify_slot_mappings(),
            validator.verify_nlu(ignore_warnings=True),
            validator.verify_story_structure(ignore_warnings=True),
        ]
    problems = [str(w.message) for w in caught
                if issubclass(w.category, UserWarning) and not _expected(str(w.message))]
    if not all(checks) and not problems:
        problems.append("Rasa's validator reported an error (see the log above)")
    return problems


def main() -> int:
    problems = validate()
    for problem in problems:
        print(f"VALIDATION: {problem}", file=sys.stderr)
    print(f"{len(problems)} validation problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
