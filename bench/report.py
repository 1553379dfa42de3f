"""Turn a benchmark run into a printed table (every figure with its ratio to the stock assistant) and a chart."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIGURES = ("p50_ms", "p95_ms", "p99_ms", "max_ms", "throughput_per_s", "first_response_max_ms", "errors")


def ratio(ours: float | None, base: float | None) -> str:
    if ours is None or base in (None, 0):
        return "-"
    return f"{ours / base:.2f}x"


def table(results: dict) -> str:
    lines = [f"{'scenario':<12} {'figure':<22} {'store':>10} {'stock':>10} {'ratio':>8}"]
    for name, runs in results["scenarios"].items():
        ours, base = runs["store"]["summary"], (runs.get("baseline") or {}).get("summary", {})
        for figure in FIGURES:
            lines.append(f"{name:<12} {figure:<22} {_fmt(ours.get(figure)):>10} {_fmt(base.get(figure)):>10} "
                         f"{ratio(ours.get(figure), base.get(figure)):>8}")
    for figure, values in results.get("startup", {}).items():
        lines.append(f"{'startup':<12} {figure:<22} {_fmt(values.get('store')):>10} "
                     f"{_fmt(values.get('baseline')):>10} {ratio(values.get('store'), values.get('baseline')):>8}")
    return "\n".join(lines)


def _fmt(value) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, (int, float)) else str(value)


def targets(results: dict) -> dict[str, dict]:
    """The issue's targets, each with the measured value and whether it holds."""
    scenarios = results["scenarios"]
    checks: dict[str, dict] = {}

    def add(name: str, value, ok: bool | None) -> None:
        checks[name] = {"value": value, "ok": ok}

    one = scenarios.get("one_shopper")
    if one and one.get("baseline"):
        value = one["store"]["summary"]["p50_ms"] / one["baseline"]["summary"]["p50_ms"]
        add("p50 at one shopper <= 1.5x stock", round(value, 2), value <= 1.5)
    busy = scenarios.get("throughput")
    if busy and busy.get("baseline"):
        ours, base = busy["store"]["summary"]["throughput_per_s"], busy["baseline"]["summary"]["throughput_per_s"]
        add("throughput >= stock", f"{ours} vs {base} msg/s", ours >= base)
    human = scenarios.get("human_50")
    if human:
        summary = human["store"]["summary"]
        add("50 shoppers: p99 <= 500 ms", summary["p99_ms"], (summary["p99_ms"] or 1e9) <= 500)
        add("50 shoppers: no errors", summary["errors"], summary["errors"] == 0)
    triple = scenarios.get("human_150")
    if triple:
        summary = triple["store"]["summary"]
        add("150 shoppers: no first response > 5 s", summary["first_response_max_ms"],
            summary["over_5s"] == 0 and (summary["first_response_max_ms"] or 1e9) <= 5000)
    return checks


def chart(results: dict, target: Path) -> Path:
    scenarios = results["scenarios"]
    names = list(scenarios)
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    ax = axes[0][0]
    width = 0.13
    for offset, (system, figure) in enumerate(
            [(s, f) for s in ("store", "baseline") for f in ("p50_ms", "p95_ms", "p99_ms")]):
        values = [((scenarios[n].get(system) or {}).get("summary") or {}).get(figure) or 0 for n in names]
        ax.bar([i + (offset - 2.5) * width for i in range(len(names))], values, width,
               label=f"{system} {figure[:3]}", color=("C0" if system == "store" else "C1"),
               alpha=0.4 + 0.2 * (offset % 3))
    ax.set_xticks(range(len(names)), names)
    ax.set_yscale("log")
    ax.set_ylabel("turn latency (ms, log)")
    ax.set_title("Turn latency: p50 / p95 / p99")
    ax.legend(fontsize=7, ncol=2)

    ax = axes[0][1]
    for offset, system in enumerate(("store", "baseline")):
        values = [((scenarios[n].get(system) or {}).get("summary") or {}).get("throughput_per_s") or 0 for n in names]
        ax.bar([i + (offset - 0.5) * 0.35 for i in range(len(names))], values, 0.35, label=system)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("answered messages / s")
    ax.set_title("Throughput")
    ax.legend()

    ax = axes[1][0]
    for name in names:
        turns = scenarios[name]["store"].get("turns") or []
        ax.scatter([t["sent_at"] for t in turns], [t["latency"] * 1000 for t in turns], s=4, label=name)
    ax.axhline(5000, color="red", linestyle="--", linewidth=1, label="5 s first-response limit")
    ax.set_yscale("log")
    ax.set_xlabel("seconds into the scenario")
    ax.set_ylabel("store turn latency (ms, log)")
    ax.set_title("Store: every turn")
    ax.legend(fontsize=7, markerscale=3)

    ax = axes[1][1]
    memory = results.get("memory_mb", {})
    ax.barh(list(memory), [m["peak"] for m in memory.values()], color="C2")
    for i, m in enumerate(memory.values()):
        ax.text(m["peak"], i, f" {m['peak']:.0f} MB (cold start {m.get('cold_start_s', 0):.1f} s)", va="center",
                fontsize=8)
    ax.set_xlabel("peak resident memory (MB)")
    ax.set_title("Memory and cold start per process")
    ax.set_xlim(0, max([m["peak"] for m in memory.values()] + [1]) * 1.6)
    fig.suptitle(f"Store assistant vs stock rasa init - {results['started']}")
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)
    return target
