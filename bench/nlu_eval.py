"""NLU quality on held-out data: accuracy, macro-F1, worst intents, confusions, entities, training time.

Splits the data/nlu intent examples per intent (seeded, 80/20 by default), trains an NLU-only model on the
training part with the project's config.yml in a temporary directory (model and Rasa's training cache stay
there; nothing is written to models/) and parses the held-out part. Lookups, regexes and synonyms are always
kept in training. Prints JSON; `--out FILE` also writes it.

With `--heldout FILE` (e.g. bench/data/heldout_real.yml: long, realistic shopper messages never used for
training) the model is trained on all of data/nlu and measured on that file instead of a split.

    PYTHONPATH=. .venv/bin/python -m bench.nlu_eval [--share 0.2] [--seed 7] [--config FILE] [--out FILE]
    PYTHONPATH=. .venv/bin/python -m bench.nlu_eval --heldout bench/data/heldout_real.yml [--config FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
FALLBACK = "nlu_fallback"
# Same entity syntax as rasa.shared.nlu.training_data.entities_parser: [text](entity) or [text]{...}.
ENTITY = re.compile(r"\[(?P<text>[^\]]+?)\](?:\((?P<name>[^:)]+?)(?::[^)]+)?\)|\{(?P<json>[^}]+?)\})")


def load_examples(nlu_dir: Path = ROOT / "data" / "nlu") -> tuple[dict[str, list[str]], list[dict]]:
    """Intent examples by intent, and every other item (lookup, regex, synonym) as read."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    other: list[dict] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item:
                lines = [l.strip()[2:].strip() for l in item["examples"].splitlines() if l.strip().startswith("- ")]
                by_intent[item["intent"]].extend(lines)
            else:
                other.append(item)
    return by_intent, other


def split(by_intent: dict[str, list[str]], share: float, seed: int) -> tuple[dict, list[tuple[str, str]]]:
    rng = random.Random(seed)
    train, test = {}, []
    for intent in sorted(by_intent):
        shuffled = by_intent[intent][:]
        rng.shuffle(shuffled)
        cut = max(1, int(len(shuffled) * share))
        test += [(e, intent) for e in shuffled[:cut]]
        train[intent] = shuffled[cut:]
    return train, test


def parse_annotations(example: str) -> tuple[str, set[tuple[str, str]]]:
    """Plain text and the gold (entity, text) pairs of an annotated example."""
    gold: set[tuple[str, str]] = set()

    def plain(match: re.Match) -> str:
        name = match.group("name") or json.loads("{" + match.group("json") + "}").get("entity", "?")
        gold.add((name, match.group("text")))
        return match.group("text")

    return ENTITY.sub(plain, example), gold


def load_heldout(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a held-out file: `examples: [{text: ..., intent: ...}, ...]`."""
    items = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples", [])
    return [(str(item["text"]), str(item["intent"])) for item in items]


def train_model(train: dict[str, list[str]], other: list[dict], work: Path, config: Path) -> float:
    """Train an NLU-only model into work/eval.tar.gz; returns the wall time in seconds."""
    nlu = [{"intent": i, "examples": "".join(f"- {e}\n" for e in ex)} for i, ex in train.items()] + other
    data = work / "nlu.yml"
    data.write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(work / "cache"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    rasa = str(Path(sys.executable).with_name("rasa"))
    started = time.monotonic()
    subprocess.run([rasa, "train", "nlu", "--config", str(config), "--nlu", str(data),
                    "--out", str(work), "--fixed-model-name", "eval"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def entity_scores(gold: list[set], found: list[set]) -> dict[str, dict[str, float]]:
    """Exact (entity, text) precision and recall per entity type over the held-out examples."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for g, f in zip(gold, found, strict=False):
        for name, _ in g | f:
            counts[name]  # every type seen in gold or prediction gets a row
        for name, _ in g & f:
            counts[name]["hit"] += 1
        for name, _ in g:
            counts[name]["gold"] += 1
        for name, _ in f:
            counts[name]["found"] += 1
    return {name: {"recall": round(c["hit"] / c["gold"], 3) if c["gold"] else None,
                   "precision": round(c["hit"] / c["found"], 3) if c["found"] else None,
                   "gold": c["gold"]} for name, c in sorted(counts.items())}


def evaluate(model: Path, test: list[tuple[str, str]]) -> tuple[list[dict], float]:
    from rasa.core.agent import Agent

    started = time.monotonic()
    agent = Agent.load(str(model))
    load_seconds = time.monotonic() - started

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(parse_annotations(t)[0]) for t, _ in test]

    return asyncio.run(parse_all()), load_seconds


def fallback_sweep(gold: list[str], parsed: list[dict], ambiguity: float = 0.05) -> dict[str, dict[str, float]]:
    """Accuracy and fallback share had the FallbackClassifier used another threshold (same model, no retraining).

    A message sent to the fallback by UnknownWordsGuard (nlu_fallback at confidence 1.0) stays there."""
    sweep = {}
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        predicted = []
        for p in parsed:
            ranking = p.get("intent_ranking", [])
            real = [r for r in ranking if r["name"] != FALLBACK]
            guarded = any(r["name"] == FALLBACK and r.get("confidence", 0) >= 0.999 for r in ranking)
            if guarded or not real:
                predicted.append(FALLBACK)
                continue
            top = real[0]["confidence"]
            second = real[1]["confidence"] if len(real) > 1 else 0.0
            predicted.append(FALLBACK if top < threshold or top - second < ambiguity else real[0]["name"])
        labels = sorted(set(gold))
        sweep[str(threshold)] = {"accuracy": round(accuracy_score(gold, predicted), 4),
                                 "macro_f1": round(f1_score(gold, predicted, labels=labels, average="macro",
                                                            zero_division=0), 4),
                                 "fallback_share": round(predicted.count(FALLBACK) / len(predicted), 4)}
    return sweep


def report(test: list[tuple[str, str]], parsed: list[dict]) -> dict:
    gold = [g for _, g in test]
    predicted = [p["intent"]["name"] for p in parsed]
    # The best real intent, also when the FallbackClassifier put nlu_fallback on top.
    top = [next((r["name"] for r in p.get("intent_ranking", []) if r["name"] != FALLBACK), FALLBACK)
           for p in parsed]
    labels = sorted(set(gold))
    per_intent = dict(zip(labels, f1_score(gold, predicted, labels=labels, average=None, zero_division=0), strict=False))
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=False) if g != p)
    golds = [parse_annotations(t)[1] for t, _ in test]
    found = [{(e["entity"], p["text"][e["start"]:e["end"]]) for e in p.get("entities", [])} for p in parsed]
    return {
        "examples_test": len(test),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0), 4),
        "accuracy_without_fallback": round(accuracy_score(gold, top), 4),
        "macro_f1_without_fallback": round(f1_score(gold, top, labels=labels, average="macro", zero_division=0), 4),
        "fallback_share": round(predicted.count(FALLBACK) / len(predicted), 4),
        "fallback_threshold_sweep": fallback_sweep(gold, parsed),
        "worst_five": sorted(((k, round(v, 3)) for k, v in per_intent.items()), key=lambda kv: kv[1])[:5],
        "top_confusions": [{"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common(10)],
        "per_intent_f1": {k: round(v, 3) for k, v in sorted(per_intent.items())},
        "entities": entity_scores(golds, found),
        "errors": [(parse_annotations(t)[0], g, p) for (t, g), p in zip(test, predicted, strict=False) if g != p][:60],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.2, help="held-out share per intent")
    parser.add_argument("--seed", type=int, default=7, help="split seed")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="pipeline to measure")
    parser.add_argument("--out", help="also write the JSON here")
    parser.add_argument("--heldout", type=Path,
                        help="train on all of data/nlu and measure on this file instead of a split")
    args = parser.parse_args()
    by_intent, other = load_examples()
    if args.heldout:
        train, test = dict(by_intent), load_heldout(args.heldout)
    else:
        train, test = split(by_intent, args.share, args.seed)
    work = Path(tempfile.mkdtemp(prefix="nlu-eval-"))
    try:
        train_seconds = train_model(train, other, work, args.config.resolve())
        parsed, load_seconds = evaluate(work / "eval.tar.gz", test)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {"config": str(args.config), "examples_train": sum(len(v) for v in train.values()),
              **({"heldout": str(args.heldout)} if args.heldout else {"seed": args.seed, "share": args.share}),
              **report(test, parsed),
              "nlu_train_seconds": round(train_seconds, 1), "nlu_model_load_seconds": round(load_seconds, 1)}
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
