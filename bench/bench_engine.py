"""Benchmark of the cost–benefit engine: a 50-line pair of scenarios over 60 months.

Run from the repository root:  .venv/bin/python bench/bench_engine.py [--runs 2000] [--profile]

Prints lines, horizon, runs, median and p95 milliseconds per evaluation and evaluations per
second. Target: median under 1 ms. Never fails on time; it only reports.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from maatwerk.costs.engine import (
    COST_TYPES,
    GRADES,
    UNITS,
    Calculation,
    Line,
    evaluate,
)

BEARERS = (
    "municipality",
    "uwv",
    "tax_office",
    "housing_corporation",
    "health_insurer",
    "household",
)
HORIZON = 60
LINES_PER_SCENARIO = 25
BATCH = 50


def build(seed: int = 2026) -> Calculation:
    """A realistic-looking mix: once and recurring lines, every unit, probabilities, bearers,
    grades, some lines running past the horizon."""
    rng = random.Random(seed)

    def line(n: int) -> Line:
        unit = UNITS[n % len(UNITS)]
        once = n % 3 == 0
        return Line(
            label=f"line {n}",
            amount=Decimal(rng.randint(500, 250_000)) / 100,
            unit=unit,
            bearer=BEARERS[n % len(BEARERS)],
            cost_type=COST_TYPES[n % len(COST_TYPES)],
            quantity=Decimal(rng.choice(["1", "2", "4.5", "8", "21", "0.5"])),
            start_month=rng.randint(0, HORIZON - 1),
            duration_months=None if once else rng.randint(1, 72),
            probability=Decimal(rng.choice(["1", "0.8", "0.65", "0.5", "0.333", "0.9"])),
            grade=GRADES[n % len(GRADES)],
            item_code=f"ITEM-{n}",
            version_id=n,
        )

    return Calculation(
        standard=tuple(line(n) for n in range(LINES_PER_SCENARIO)),
        tailored=tuple(line(n) for n in range(LINES_PER_SCENARIO, 2 * LINES_PER_SCENARIO)),
        horizon_months=HORIZON,
        discount_rate=Decimal("0.0225"),
        price_year=2026,
    )


def run(runs: int) -> dict[str, float]:
    calc = build()
    for _ in range(200):  # warm-up
        evaluate(calc)
    per_eval = []
    cpu_per_eval = []
    batches = max(1, runs // BATCH)
    for _ in range(batches):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(BATCH):
            evaluate(calc)
        per_eval.append((time.perf_counter() - start) / BATCH * 1000)
        cpu_per_eval.append((time.process_time() - cpu_start) / BATCH * 1000)
    per_eval.sort()
    median = statistics.median(per_eval)
    p95 = per_eval[min(len(per_eval) - 1, round(0.95 * (len(per_eval) - 1)))]
    return {
        "lines": len(calc.standard) + len(calc.tailored),
        "horizon": calc.horizon_months,
        "runs": batches * BATCH,
        "median_ms": median,
        "p95_ms": p95,
        "per_second": 1000 / median,
        # CPU time is less disturbed by other processes on a shared machine
        "cpu_median_ms": statistics.median(cpu_per_eval),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="show a cProfile of 500 runs")
    args = parser.parse_args()
    if args.profile:
        import cProfile
        import pstats

        calc = build()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(500):
            evaluate(calc)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
        return
    figures = run(args.runs)
    print("cost–benefit engine (bench/bench_engine.py)")
    print(f"{'lines':>6} {'horizon':>8} {'runs':>6} {'median ms':>10} {'p95 ms':>8} {'evals/s':>9}")
    print(
        f"{figures['lines']:>6} {figures['horizon']:>8} {figures['runs']:>6} "
        f"{figures['median_ms']:>10.3f} {figures['p95_ms']:>8.3f} {figures['per_second']:>9.0f}"
    )
    print(f"median CPU time per evaluation: {figures['cpu_median_ms']:.3f} ms (process_time)")
    verdict = "meets" if figures["median_ms"] < 1 else "misses"
    print(f"target: median under 1 ms — {verdict}")


if __name__ == "__main__":
    main()
