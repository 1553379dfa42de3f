"""Store settings (policies, promotions, agents) read from data/store/store.yml."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import get_settings
from bot.store.files import parsed_when_changed


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


def load_store(directory: Path | None = None) -> StoreConfig:
    """The store settings, re-read when `store.yml` changes (managers edit it while the product runs)."""
    directory = directory or get_settings().store_data_dir
    return parsed_when_changed(directory / "store.yml", parse_store)


def parse_store(document: dict[str, Any]) -> StoreConfig:
    raw = document["store"]
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
