"""`make bench`: the product's full stack against the stock `rasa init` assistant on this machine.

Starts both (free ports, a throw-away database and tracker store), measures cold start and memory, plays the
load scenarios against each, profiles a turn, times training and co-purchase mining, then writes
results/bench-<time>.json and .png and prints every figure with its ratio to the stock assistant.

    PYTHONPATH=. .venv/bin/python -m bench.run [--quick] [--duration S] [--target URL] [--skip-training]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from bench import report
from bench.load import LoadConfig, load_journeys, run_load
from bench.stack import BASE_ENV, CACHE, PY, RASA, Service, services, start_baseline, start_store
from bot.ops.train import TRAINING_DATA, fingerprint, model_path
from bot.settings import PROJECT_ROOT

HUMAN_THINK = (5.0, 15.0)


def scenarios(duration: float, quick: bool) -> dict[str, LoadConfig]:
    busy = 15.0 if quick else 30.0
    return {
        "one_shopper": LoadConfig("", shoppers=1, duration=busy * 2, max_turns=60 if quick else 200),
        "throughput": LoadConfig("", shoppers=16, duration=busy),
        "human_50": LoadConfig("", shoppers=50, think=HUMAN_THINK, duration=duration),
        "human_150": LoadConfig("", shoppers=150, think=HUMAN_THINK, duration=duration),
    }


async def _play(config: LoadConfig, url: str, journey_set: str, watched: list[Service]) -> dict:
    """One scenario against one assistant, sampling the memory of its processes meanwhile."""
    config = LoadConfig(**{**asdict(config), "url": url, "journey_set": journey_set, "think": config.think})
    cpu_before = {s.name: s.cpu() for s in watched}
    task = asyncio.ensure_future(run_load(config))
    while not task.done():
        for service in watched:
            service.sample()
        await asyncio.sleep(0.5)
    result = task.result()
    summary = result.summary()
    # CPU time per answered turn, by process: steady even when other work shares the machine.
    summary["cpu_ms_per_turn"] = {s.name: round((s.cpu() - cpu_before[s.name]) * 1000 / max(summary["ok"], 1), 2)
                                  for s in watched}
    return {"summary": summary, "turns": [asdict(t) for t in result.turns]}


def run_scenarios(chosen: dict[str, LoadConfig], store_url: str, base_url: str | None,
                  store_procs: list[Service], base_procs: list[Service]) -> dict:
    out: dict[str, dict] = {}
    for name, config in chosen.items():
        out[name] = {}
        for system, url, journey_set, watched in (("store", store_url, "store", store_procs),
                                                   ("baseline", base_url, "baseline", base_procs)):
            if url is None:
                continue
            print(f"[bench] {name}: {system} ({config.shoppers} shoppers, think {config.think}) ...", flush=True)
            out[name][system] = asyncio.run(_play(config, url, journey_set, watched))
            summary = out[name][system]["summary"]
            print(f"[bench]   p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, "
                  f"{summary['throughput_per_s']} msg/s, errors {summary['errors']}, "
                  f"CPU ms/turn {summary['cpu_ms_per_turn']}", flush=True)
    return out


def store_training_seconds(model: Path, skip: bool) -> dict:
    """Time `rasa train` of the product's model once per training fingerprint (into a temporary folder)."""
    cache = CACHE / f"store-train-{fingerprint()}.json"
    if cache.exists():
        return {**json.loads(cache.read_text()), "cached": True}
    if skip:
        return {"train_seconds": None, "note": "skipped (--skip-training)"}
    out = Path(tempfile.mkdtemp(prefix="bench-train-"))
    print("[bench] timing training of the store model (once per fingerprint) ...", flush=True)
    started = time.monotonic()
    subprocess.run([RASA, "train", "--domain", "domain", "--config", "config.yml", "--data", *TRAINING_DATA,
                    "--out", str(out)], cwd=PROJECT_ROOT, check=True, capture_output=True,
                   env={**os.environ, **BASE_ENV})
    meta = {"train_seconds": round(time.monotonic() - started, 1), "model_mb": round(model.stat().st_size / 2**20, 1)}
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(meta))
    subprocess.run(["rm", "-rf", str(out)], check=False)
    return {**meta, "cached": False}


def mining(orders: int) -> dict:
    if not (PROJECT_ROOT / "bench" / "mining.py").exists():
        return {"note": "bench/mining.py not present"}
    print(f"[bench] co-purchase mining on {orders:,} orders ...", flush=True)
    done = subprocess.run([PY, "-m", "bench.mining", "--orders", str(orders)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, env={**os.environ, **BASE_ENV})
    if done.returncode != 0:
        return {"error": done.stderr[-1000:]}
    return json.loads(done.stdout[done.stdout.index("{"):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds for the human-pace scenarios")
    parser.add_argument("--quick", action="store_true", help="short runs (human-pace scenarios 40 s)")
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    parser.add_argument("--target", help="drive an already running deployment (e.g. make run-scaled) at this URL")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--skip-training", action="store_true", help="do not time training if not cached")
    parser.add_argument("--mining-orders", type=int, default=1_000_000, help="0 skips the mining benchmark")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results")
    parser.add_argument("--tracker-store", choices=("config", "memory"), default="config",
                        help="memory: Rasa's in-memory tracker store instead of endpoints.yml's (to price it)")
    parser.add_argument("--stock-launcher", action="store_true",
                        help="start the store's Rasa with plain `rasa run`, not bot.ops.rasa_fast (to price it)")
    parser.add_argument("--model", type=Path, help="model file (default: models/store-<fingerprint>.tar.gz)")
    args = parser.parse_args()
    duration = 40.0 if args.quick and args.duration == 120.0 else args.duration
    chosen = {k: v for k, v in scenarios(duration, args.quick).items() if not args.only or k in args.only}
    model = args.model or model_path()
    if not args.target and not model.exists():
        sys.exit(f"no model {model.relative_to(PROJECT_ROOT)}: run `make train` first")

    load_journeys("store"), load_journeys("baseline")  # fail fast on a broken conversations file
    started = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    results: dict = {"started": started, "target": args.target or "self-started full stack", "workdir": str(workdir),
                     "model": str(model), "tracker_store": args.tracker_store,
                     "launcher": "rasa" if args.stock_launcher else "bot.ops.rasa_fast",
                     "machine": {"cores": os.cpu_count()}, "startup": {}, "memory_mb": {}}
    with services() as store_procs, services() as base_procs:
        base_meta = {} if args.no_baseline else start_baseline(workdir / "logs", base_procs)
        if not args.target:
            start_store(workdir, model, store_procs, args.tracker_store, args.stock_launcher)
        store_url = args.target or next(s.url for s in store_procs if s.name == "rasa")
        base_url = None if args.no_baseline else base_procs[0].url
        print(f"[bench] store at {store_url}, stock assistant at {base_url}; logs in {workdir / 'logs'}", flush=True)
        results["scenarios"] = run_scenarios(chosen, store_url, base_url, store_procs, base_procs)
        if not args.target:
            from bench.profile import profile

            urls = {s.name: s.url for s in store_procs}
            results["profile"] = profile(urls["rasa"], urls["actions"], urls["web"])
        rasa = next((s for s in store_procs if s.name == "rasa"), None)
        results["startup"]["cold_start_to_first_answer_s"] = {
            "store": rasa.cold_start_s if rasa else None,
            "baseline": base_procs[0].cold_start_s if base_procs else None}
        for service in store_procs + base_procs:
            results["memory_mb"][service.name] = {"peak": service.peak_rss_mb, "end": service.sample(),
                                                  "cold_start_s": service.cold_start_s}
    results["startup"]["train_s"] = {
        "store": None if args.target else store_training_seconds(model, args.skip_training).get("train_seconds"),
        "baseline": base_meta.get("train_seconds")}
    results["startup"]["rss_rasa_mb"] = {"store": results["memory_mb"].get("rasa", {}).get("peak"),
                                         "baseline": results["memory_mb"].get("baseline-rasa", {}).get("peak")}
    results["mining"] = mining(args.mining_orders) if args.mining_orders else {"note": "skipped"}
    results["targets"] = report.targets(results)
    write(results, args.out)


def write(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"bench-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    chart = report.chart(results, stem.with_suffix(".png"))
    stem.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(report.table(results))
    if "profile" in results:
        print("profile:", json.dumps({k: v for k, v in results["profile"].items() if k != "nlg_ms"}, indent=1))
    print("mining:", json.dumps(results["mining"]))
    for name, check in results["targets"].items():
        print(f"[{'ok' if check['ok'] else 'MISS'}] {name}: {check['value']}")
    print(f"results: {stem.with_suffix('.json')} and {chart}")


if __name__ == "__main__":
    main()
