"""Async load generator: concurrent shoppers play multi-turn conversations against Rasa's REST channel.

Each shopper plays a journey from bench/conversations.yml turn by turn (a new sender id per journey), waits a
random think time between turns and stops starting turns when the duration is over. Reports turn latency
percentiles, throughput, errors and first-response times (the latency of a conversation's first turn).

    PYTHONPATH=. .venv/bin/python -m bench.load --url http://127.0.0.1:5005 --shoppers 50 --think 5 15 \
        --duration 120 [--set store|baseline] [--out results/load.json]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import yaml

from bot.security.tokens import issue_shopper_token

CONVERSATIONS = Path(__file__).with_name("conversations.yml")
FIRST_RESPONSE_LIMIT = 5.0


@dataclass(frozen=True)
class Journey:
    name: str
    turns: tuple[str, ...]


@dataclass(frozen=True)
class LoadConfig:
    url: str
    shoppers: int = 1
    think: tuple[float, float] = (0.0, 0.0)
    duration: float = 30.0
    journey_set: str = "store"
    max_turns: int | None = None  # stop after this many turns in all (single-shopper latency runs)
    timeout: float = 30.0
    seed: int = 20261122


@dataclass
class MeasuredTurn:
    sent_at: float  # seconds since the run started
    latency: float
    first: bool  # first turn of its conversation
    ok: bool
    replies: int = 0
    error: str = ""


@dataclass
class LoadResult:
    config: dict
    wall_seconds: float
    turns: list[MeasuredTurn] = field(default_factory=list)

    def summary(self) -> dict:
        return summarize(self.turns, self.wall_seconds)


def load_journeys(journey_set: str, path: Path = CONVERSATIONS) -> list[Journey]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if journey_set not in data:
        raise SystemExit(f"no journey set {journey_set!r} in {path} (have: {', '.join(data)})")
    return [Journey(j["name"], tuple(str(t) for t in j["turns"])) for j in data[journey_set]]


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share in 0..1); None without data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def summarize(turns: list[MeasuredTurn], wall_seconds: float) -> dict:
    ok = [t.latency for t in turns if t.ok]
    first = [t.latency for t in turns if t.first and t.ok]
    errors: dict[str, int] = {}
    for turn in turns:
        if not turn.ok:
            errors[turn.error] = errors.get(turn.error, 0) + 1
    busy = max((t.sent_at + t.latency for t in turns), default=0.0) - min((t.sent_at for t in turns), default=0.0)
    return {
        "turns": len(turns), "ok": len(ok), "errors": len(turns) - len(ok), "error_kinds": errors,
        "empty_replies": sum(1 for t in turns if t.ok and t.replies == 0),
        "p50_ms": _ms(percentile(ok, 0.50)), "p95_ms": _ms(percentile(ok, 0.95)),
        "p99_ms": _ms(percentile(ok, 0.99)), "max_ms": _ms(max(ok, default=None)),
        "mean_ms": _ms(sum(ok) / len(ok) if ok else None),
        "throughput_per_s": round(len(ok) / busy, 2) if busy > 0 else None,
        "first_response_p50_ms": _ms(percentile(first, 0.50)), "first_response_max_ms": _ms(max(first, default=None)),
        "first_responses": len(first),
        "over_5s": sum(1 for t in turns if t.latency > FIRST_RESPONSE_LIMIT or (not t.ok and t.error == "timeout")),
        "wall_seconds": round(wall_seconds, 1),
    }


class _Budget:
    """Shared turn budget for max_turns runs."""

    def __init__(self, limit: int | None) -> None:
        self.left = limit

    def take(self) -> bool:
        if self.left is None:
            return True
        if self.left <= 0:
            return False
        self.left -= 1
        return True


async def _send(client: httpx.AsyncClient, url: str, sender: str, text: str) -> tuple[bool, int, str]:
    try:
        reply = await client.post(url, json={"sender": sender, "message": text},
                                  headers={"Authorization": f"Bearer {issue_shopper_token(sender)}"})
    except httpx.TimeoutException:
        return False, 0, "timeout"
    except httpx.HTTPError as exc:
        return False, 0, type(exc).__name__
    if reply.status_code != 200:
        return False, 0, f"http_{reply.status_code}"
    try:
        messages = reply.json()
    except ValueError:
        return False, 0, "bad_json"
    return True, len(messages) if isinstance(messages, list) else 0, ""


async def _shopper(index: int, config: LoadConfig, journeys: list[Journey], client: httpx.AsyncClient,
                   started: float, deadline: float, budget: _Budget, turns: list[MeasuredTurn], tag: str) -> None:
    rng = random.Random(config.seed * 1000 + index)
    webhook = f"{config.url.rstrip('/')}/webhooks/rest/webhook"
    if config.think[1] > 0:  # spread the first messages over one think time, as shoppers arrive
        await asyncio.sleep(rng.uniform(0, config.think[1]))
    round_no = 0
    while time.monotonic() < deadline:
        journey = journeys[(index + round_no * config.shoppers) % len(journeys)]
        sender = f"bench-{tag}-{index}-{round_no}"
        round_no += 1
        for number, text in enumerate(journey.turns):
            if time.monotonic() >= deadline or not budget.take():
                return
            sent = time.monotonic()
            ok, replies, error = await _send(client, webhook, sender, text)
            turns.append(MeasuredTurn(sent - started, time.monotonic() - sent, number == 0, ok, replies, error))
            if config.think[1] > 0:
                await asyncio.sleep(rng.uniform(*config.think))


async def run_load(config: LoadConfig, journeys: list[Journey] | None = None) -> LoadResult:
    journeys = journeys or load_journeys(config.journey_set)
    turns: list[MeasuredTurn] = []
    tag = uuid.uuid4().hex[:8]
    limits = httpx.Limits(max_connections=config.shoppers + 10, max_keepalive_connections=config.shoppers + 10)
    async with httpx.AsyncClient(timeout=config.timeout, limits=limits) as client:
        started = time.monotonic()
        deadline = started + config.duration
        budget = _Budget(config.max_turns)
        await asyncio.gather(*(_shopper(i, config, journeys, client, started, deadline, budget, turns, tag)
                               for i in range(config.shoppers)))
        wall = time.monotonic() - started
    return LoadResult(asdict(config), wall, sorted(turns, key=lambda t: t.sent_at))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="Rasa server (REST channel enabled)")
    parser.add_argument("--shoppers", type=int, default=1)
    parser.add_argument("--think", type=float, nargs=2, default=(0.0, 0.0), metavar=("MIN", "MAX"))
    parser.add_argument("--duration", type=float, default=30.0, help="seconds during which turns start")
    parser.add_argument("--max-turns", type=int, default=None)
    parser.add_argument("--set", dest="journey_set", default="store", help="journey set in conversations.yml")
    parser.add_argument("--out", type=Path, help="write the summary and every turn as JSON here")
    args = parser.parse_args()
    config = LoadConfig(args.url, args.shoppers, tuple(args.think), args.duration, args.journey_set, args.max_turns)
    result = asyncio.run(run_load(config))
    summary = result.summary()
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"config": result.config, "summary": summary,
                                        "turns": [asdict(t) for t in result.turns]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
