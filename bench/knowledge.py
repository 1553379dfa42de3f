"""Question bank quality and speed: held-out paraphrases, unrelated questions, match latency at 1,000 entries.

    python -m bench.knowledge [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

import yaml

from bot.knowledge.bank import Bank, Entry
from bot.knowledge.retrieval import Retriever, intent_examples, scope_words
from bot.scripts.loader import load_library
from bot.settings import PROJECT_ROOT

DATA = Path(__file__).parent / "data" / "knowledge_heldout.yml"


def catalog() -> dict[str, SimpleNamespace]:
    raw = yaml.safe_load((PROJECT_ROOT / "data" / "store" / "products.yml").read_text(encoding="utf-8"))
    return {p["sku"]: SimpleNamespace(sku=p["sku"], name=p["name"], aliases=tuple(p.get("aliases") or ()),
                                      category=p["category"]) for p in raw["products"]}


def quality(retriever: Retriever, products: dict, data: dict) -> dict:
    counts = {"top1": 0, "answered": 0, "answered_right": 0, "offered": 0, "offered_right": 0, "declined": 0,
              "beats_confident_intent": 0}
    for item in data["paraphrases"]:
        product = products.get(item.get("sku"))
        decision = retriever.decide(item["text"], product and product.sku, product and product.category)
        ids = [m.entry.id for m in decision.matches]
        counts["top1"] += bool(ids) and ids[0] == item["entry"]
        if decision.kind == "answer":
            counts["answered"] += 1
            counts["answered_right"] += ids[0] == item["entry"]
        elif decision.kind == "offer":
            counts["offered"] += 1
            counts["offered_right"] += item["entry"] in ids
        else:
            counts["declined"] += 1
        confident = retriever.decide(item["text"], product and product.sku, product and product.category, True)
        counts["beats_confident_intent"] += confident.kind == "answer" and confident.best.entry.id == item["entry"]
    n = len(data["paraphrases"])
    unrelated = [retriever.decide(text).kind for text in data["unrelated"]]
    overriding = [retriever.decide(text, intent_confident=True).kind for text in data["unrelated"]]
    return {
        "paraphrases": n, **{k: round(v / n, 3) for k, v in counts.items()},
        "unrelated": len(unrelated),
        "unrelated_answered": round(unrelated.count("answer") / len(unrelated), 3),
        "unrelated_offered": round(unrelated.count("offer") / len(unrelated), 3),
        "unrelated_beats_confident_intent": round(overriding.count("answer") / len(unrelated), 3),
    }


def synthetic_bank(bank: Bank, size: int, seed: int = 7) -> Bank:
    """`size` entries: the real ones plus recombinations of their questions' halves."""
    rng = random.Random(seed)
    questions = [q for e in bank.entries for q in e.questions]
    entries = list(bank.entries)
    while len(entries) < size:
        made = tuple(rng.choice(questions)[:4] + rng.choice(questions)[-4:] for _ in range(3))
        entries.append(Entry(id=f"synthetic_{len(entries)}", questions=made))
    return Bank(tuple(entries), {}, bank.synonyms)


def latency(bank: Bank, texts: list[str], size: int = 1000) -> dict:
    started = time.perf_counter()
    retriever = Retriever(synthetic_bank(bank, size), intent_examples())
    build = time.perf_counter() - started
    timings = []
    for text in texts * 3:
        t0 = time.perf_counter()
        retriever.decide(text)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {"entries": size, "indexed_texts": len(retriever.owners), "build_seconds": round(build, 2),
            "p50_ms": round(statistics.median(timings), 2), "p95_ms": round(timings[int(len(timings) * 0.95)], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    library, _ = load_library(PROJECT_ROOT / "scripts_library")
    bank, products = library.knowledge, catalog()
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    examples = {q for e in bank.entries for q in e.questions}
    assert not examples & {p["text"] for p in data["paraphrases"]}, "held-out texts must differ from every example"
    retriever = Retriever(bank, intent_examples(), scope_words(products.values()))
    report = {"quality": quality(retriever, products, data),
              "latency": latency(bank, [p["text"] for p in data["paraphrases"]] + data["unrelated"])}
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
