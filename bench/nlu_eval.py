"""NLU quality on held-out data: accuracy, macro-F1, per-intent F1 (worst five), plus training time.

Splits data/nlu examples per intent (seeded, 80/20), trains an NLU-only model on the training part with the
project's config and evaluates on the held-out part. Prints JSON; `--out FILE` also writes it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent


def load_examples() -> tuple[dict[str, list[str]], list[dict]]:
    by_intent: dict[str, list[str]] = defaultdict(list)
    other: list[dict] = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item:
                lines = [l[2:].strip() for l in item["examples"].splitlines() if l.strip().startswith("- ")]
                by_intent[item["intent"]].extend(lines)
            else:
                other.append(item)
    return by_intent, other


def split(by_intent: dict[str, list[str]], share: float, seed: int) -> tuple[dict, list[tuple[str, str]]]:
    rng = random.Random(seed)
    train, test = {}, []
    for intent, examples in by_intent.items():
        shuffled = examples[:]
        rng.shuffle(shuffled)
        cut = max(1, int(len(shuffled) * share))
        test += [(e, intent) for e in shuffled[:cut]]
        train[intent] = shuffled[cut:]
    return train, test


def strip_annotations(text: str) -> str:
    import re

    return re.sub(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}", lambda m: m.group(1) or m.group(2), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out")
    args = parser.parse_args()
    by_intent, other = load_examples()
    train, test = split(by_intent, args.share, args.seed)
    work = Path(tempfile.mkdtemp(prefix="nlu-eval-"))
    nlu = [{"intent": i, "examples": "".join(f"- {e}\n" for e in ex)} for i, ex in train.items()] + other
    (work / "nlu.yml").write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8")
    rasa = str(Path(sys.executable).with_name("rasa"))
    started = time.monotonic()
    subprocess.run([rasa, "train", "nlu", "--config", str(ROOT / "config.yml"), "--nlu", str(work / "nlu.yml"),
                    "--out", str(work), "--fixed-model-name", "eval"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    train_seconds = time.monotonic() - started
    from rasa.core.agent import Agent

    started = time.monotonic()
    agent = Agent.load(str(work / "eval.tar.gz"))
    load_seconds = time.monotonic() - started

    async def predict() -> list[str]:
        return [(await agent.parse_message(strip_annotations(t)))["intent"]["name"] for t, _ in test]

    predicted = asyncio.run(predict())
    gold = [g for _, g in test]
    labels = sorted(set(gold))
    per_intent = dict(zip(labels, f1_score(gold, predicted, labels=labels, average=None, zero_division=0)))
    result = {
        "examples_train": sum(len(v) for v in train.values()), "examples_test": len(test),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0), 4),
        "worst_five": sorted(((k, round(v, 3)) for k, v in per_intent.items()), key=lambda kv: kv[1])[:5],
        "fallback_share": round(sum(p == "nlu_fallback" for p in predicted) / len(predicted), 4),
        "nlu_train_seconds": round(train_seconds, 1), "nlu_model_load_seconds": round(load_seconds, 1),
        "errors": [(t, g, p) for (t, g), p in zip(test, predicted) if g != p][:40],
    }
    shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
