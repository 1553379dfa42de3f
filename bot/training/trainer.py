"""Starting practice runs: scenarios (reloaded when their files change), the script library and the classifier."""
from __future__ import annotations

import re
import threading
import time
from typing import Callable

from bot.scripts.documents import LibraryError
from bot.scripts.loader import ScriptLibrary, load_library
from bot.settings import get_settings
from bot.store.config import load_store
from bot.store.files import file_stamp
from bot.training.better import BetterReplies
from bot.training.config import TrainingConfig, load_config
from bot.training.grader import Grader
from bot.training.moves import MoveClassifier, RuleMoveClassifier
from bot.training.scenarios import ScenarioSet, load_scenarios
from bot.training.simulator import Simulation, TrainingError

TRAINEE_NAME = re.compile(r"^[\w\u4e00-\u9fff .\-]{1,64}$")


class Trainer:
    """Entry point of simulation mode; `library` may be a callable that returns the live library."""

    def __init__(self, config: TrainingConfig | None = None,
                 library: ScriptLibrary | Callable[[], ScriptLibrary] | None = None,
                 classifier: MoveClassifier | None = None, style: str | None = None) -> None:
        self.config = config or load_config()
        settings = get_settings()
        self._library = library if library is not None else load_library(settings.scripts_dir)[0]
        self.classifier = classifier or RuleMoveClassifier()
        if style is None:
            style = load_store().style
        self.style = style
        self._lock = threading.Lock()
        self._stamp: tuple = ()
        self._set = ScenarioSet()
        self.errors: list[LibraryError] = []
        self._better: BetterReplies | None = None

    @property
    def library(self) -> ScriptLibrary:
        return self._library() if callable(self._library) else self._library

    def _file_stamp(self) -> tuple:
        return file_stamp(sorted(self.config.scenarios_dir.glob("*.yml")))

    def scenarios(self) -> ScenarioSet:
        """The valid scenarios; edits are picked up on the next call."""
        with self._lock:
            stamp = self._file_stamp()
            if stamp != self._stamp:
                self._set, self.errors = load_scenarios(self.config.scenarios_dir, get_settings().store_data_dir,
                                                        self.library)
                self._stamp = stamp
            return self._set

    def better_replies(self) -> BetterReplies:
        library = self.library
        if self._better is None or self._better.library is not library:
            self._better = BetterReplies(library)
        return self._better

    def start(self, scenario_id: str, trainee: str, clock: Callable[[], float] = time.monotonic) -> Simulation:
        trainee = (trainee or "").strip()
        if not TRAINEE_NAME.match(trainee):
            raise TrainingError("trainee name: 1-64 letters, digits, spaces, '.', '-' or '_'")
        scenario_set = self.scenarios()
        scenario = scenario_set.scenarios.get(scenario_id)
        if scenario is None:
            raise TrainingError(f"unknown scenario '{scenario_id}'; known: {', '.join(sorted(scenario_set.scenarios))}")
        better = self.better_replies()
        conversation = f"training/{trainee}/{scenario.id}"
        grader = Grader(
            scenario, scenario_set.texts, lambda spec, previous: better.text(spec, scenario, previous, conversation),
            first_reply_seconds=float(scenario.limits.get("first_reply_seconds", self.config.first_reply_seconds)),
            reply_seconds=float(scenario.limits.get("reply_seconds", self.config.reply_seconds)), style=self.style)
        return Simulation(scenario, scenario_set.texts, grader, self.classifier, trainee,
                          scenario.pass_mark or self.config.pass_mark, self.config.max_replies, self.style, clock)
