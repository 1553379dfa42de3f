"""Store settings (policies, promotions, agents) read from data/store/store.yml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import get_settings


@dataclass(frozen=True)
class StoreConfig:
    id: str
    name: str
    style: str
    timezone: str
    shipping: dict[str, Any]
    returns: dict[str, Any]
    promotions: dict[str, Any]
    customisation: bool
    agents: tuple[dict[str, str], ...]

    def agent(self, agent_id: str | None) -> dict[str, str]:
        """The agent persona with this id, or the first one."""
        for agent in self.agents:
            if agent["id"] == agent_id:
                return agent
        return self.agents[0]


@lru_cache(maxsize=4)
def load_store(directory: Path | None = None) -> StoreConfig:
    directory = directory or get_settings().store_data_dir
    raw = yaml.safe_load((directory / "store.yml").read_text(encoding="utf-8"))["store"]
    return StoreConfig(
        id=raw["id"],
        name=raw["name"],
        style=raw.get("style", "lively"),
        timezone=raw.get("timezone", "Asia/Shanghai"),
        shipping=raw.get("shipping", {}),
        returns=raw.get("returns", {}),
        promotions=raw.get("promotions", {}),
        customisation=bool(raw.get("customisation", False)),
        agents=tuple(raw.get("agents") or [{"id": "agent", "name": "客服"}]),
    )
