"""The agent's live draft check against its target (a flag within half a second of typing): the rule check
itself in-process, and with --url/--token the whole round trip of `POST /api/assist/check` on a running web app.

    PYTHONPATH=. .venv/bin/python -m bench.draft_check [--rounds 200] [--url http://localhost:8000 --token T]
"""
from __future__ import annotations

import argparse
import statistics
import time

import httpx

from bot.handoff.assist import DraftContext, check_draft
from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT

DRAFTS = ["不行，这个做不到", "不用担心哦", "那是你自己没看清楚", "给你便宜10块吧", "亲，真的非常抱歉给您添麻烦了，马上为您补发！",
          "这个没有货了", "好的", "亲，这款是纯棉的哦，透气又舒服，夏天穿刚刚好呢 😊" * 3]
CONTEXTS = [DraftContext(), DraftContext(situation="complaint"), DraftContext(situation="bargain",
            previous_texts=tuple(DRAFTS[4:]))]


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2), "max_ms": round(ordered[-1] * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--url")
    parser.add_argument("--token")
    args = parser.parse_args()
    library = load_library(PROJECT_ROOT / "scripts_library")[0]
    samples = []
    for index in range(args.rounds):
        started = time.perf_counter()
        check_draft(DRAFTS[index % len(DRAFTS)], CONTEXTS[index % len(CONTEXTS)], library)
        samples.append(time.perf_counter() - started)
    print("in-process check_draft:", _summary(samples))
    if args.url and args.token:
        http, samples = httpx.Client(base_url=args.url, headers={"Authorization": f"Bearer {args.token}"}), []
        for index in range(args.rounds):
            started = time.perf_counter()
            http.post("/api/assist/check", json={"text": DRAFTS[index % len(DRAFTS)]}).raise_for_status()
            samples.append(time.perf_counter() - started)
        print("POST /api/assist/check round trip:", _summary(samples))


if __name__ == "__main__":
    main()
