"""Training settings (env vars with defaults): reply-time limits and the pass mark."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT, get_settings


@dataclass(frozen=True)
class TrainingConfig:
    first_reply_seconds: float = 5.0     # 首次响应时间不要超过5S
    reply_seconds: float = 30.0          # later replies
    pass_mark: int = 80
    max_replies: int = 12                # a conversation ends after this many trainee replies
    scenarios_dir: Path = PROJECT_ROOT / "scripts_library" / "training"


def load_config() -> TrainingConfig:
    """TRAINING_FIRST_REPLY_SECONDS, TRAINING_REPLY_SECONDS, TRAINING_PASS_MARK, TRAINING_SCENARIOS_DIR."""
    env = os.environ.get
    return TrainingConfig(
        first_reply_seconds=float(env("TRAINING_FIRST_REPLY_SECONDS", "5")),
        reply_seconds=float(env("TRAINING_REPLY_SECONDS", "30")),
        pass_mark=int(env("TRAINING_PASS_MARK", "80")),
        max_replies=int(env("TRAINING_MAX_REPLIES", "12")),
        scenarios_dir=Path(env("TRAINING_SCENARIOS_DIR", str(get_settings().scripts_dir / "training"))),
    )
