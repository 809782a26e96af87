"""Rule evaluation speed: a 10-rule pack over 100,000 initiatives vs hand-written Python.

Usage::

    python benchmarks/rules_bench.py [--initiatives 100000] [--repeat 7] [--seed 1]

Builds the initiatives directly (seeded; `itstrat_engine.generate` also draws dependency
DAGs, which is not what is measured here), binds each one's values with the engine's own
binder, then times (median of `--repeat` runs, the two timed in adjacent pairs):

- ``engine``: the pack's fused function (``CompiledPack.function``), the code
  `prioritize` runs per item and pack: all 10 rules plus the trace for the explanation;
- ``hand-written``: a plain Python function computing the same scores from the same
  values (the baseline; the target is engine / hand-written <= 1.5);
- ``prioritize, end to end``: the whole call on the engagement (binding values, the traces,
  gates, timing, ranking), measured once;
- ``reading every explanation``: then decoding every initiative's `Scored.steps` (built
  lazily, on first access), measured once.

The engine's scores are checked equal to the hand-written ones before anything is printed.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from itstrat_engine import Engagement, Initiative, Objective, Scope, prioritize
from itstrat_engine.rules import compile_pack, loads_pack
from itstrat_engine.rules.fields import SubjectData

PACK = """
[pack]
id = "bench"
title = "Ten rules: WSJF, RICE, MoSCoW, risk, cost, caps"
subject = "initiative"
fields = ["business_value", "time_criticality", "risk_reduction", "job_size",
          "reach", "impact", "confidence", "person_months"]

[params]
min_size = 1
min_effort = 0.5
must_boost = 2
could_factor = 0.5
cap = 100

[[rule]]
id = "cost-of-delay"
score = "business_value + time_criticality + risk_reduction"
because = "Cost of delay"

[[rule]]
id = "per-size"
multiply = "1 / max(job_size, min_size)"
because = "Shortest job first"

[[rule]]
id = "rice"
add = "reach * impact * confidence / max(person_months, min_effort) / 100"
because = "RICE, scaled"

[[rule]]
id = "must"
when = "'must' in tags"
multiply = "must_boost"
because = "Must-haves first"

[[rule]]
id = "could"
when = "'could' in tags"
multiply = "could_factor"
because = "Could-haves last"

[[rule]]
id = "risk"
multiply = "1 - risk / 2"
because = "Delivery risk discounts value"

[[rule]]
id = "cheap"
when = "cost < 20000"
add = "1"
because = "Cheap work is a quick win"

[[rule]]
id = "long"
when = "duration > 3"
multiply = "0.9"
because = "Long projects deliver late"

[[rule]]
id = "cap"
score = "min(score, cap)"
because = "Scores are capped"

[[rule]]
id = "round"
score = "round(score, 3)"
because = "Three decimals are enough"
"""


def hand_written(values: dict[str, Any], score: float) -> float:
    """The same ten rules as plain Python over the same values."""
    score = values["business_value"] + values["time_criticality"] + values["risk_reduction"]
    score = score * (1 / max(values["job_size"], 1.0))
    score = score + (
        values["reach"]
        * values["impact"]
        * values["confidence"]
        / max(values["person_months"], 0.5)
        / 100
    )
    tags = values["tags"]
    if "must" in tags:
        score = score * 2.0
    if "could" in tags:
        score = score * 0.5
    score = score * (1 - values["risk"] / 2)
    if values["cost"] < 20000:
        score = score + 1
    if values["duration"] > 3:
        score = score * 0.9
    score = min(score, 100.0)
    return round(score, 3)


def build(count: int, seed: int) -> Engagement:
    """An engagement with `count` initiatives carrying the fields the pack reads."""
    rng = random.Random(seed)
    fibonacci = (1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0)
    initiatives = tuple(
        Initiative(
            id=f"i{k:06d}",
            name=f"Initiative {k}",
            duration=rng.randint(1, 4),
            cost=float(rng.randint(1_000, 200_000)),
            risk=round(rng.uniform(0, 0.5), 2),
            value=float(rng.randint(10, 100)),
            objectives={"grow": rng.choice((0.25, 0.5, 1.0))},
            tags=(rng.choice(("must", "should", "could", "wont")),),
            fields={
                "business_value": rng.choice(fibonacci),
                "time_criticality": rng.choice(fibonacci),
                "risk_reduction": rng.choice(fibonacci),
                "job_size": rng.choice(fibonacci),
                "reach": float(rng.randint(5, 500)),
                "impact": rng.choice((0.25, 0.5, 1.0, 2.0, 3.0)),
                "confidence": rng.choice((0.5, 0.8, 1.0)),
                "person_months": round(rng.uniform(0.1, 6.0), 1),
            },
        )
        for k in range(count)
    )
    return Engagement(
        scope=Scope(client="Benchmark", start="2027-Q1", periods=12),
        objectives=(Objective(id="grow", name="Grow", weight=1.0),),
        initiatives=initiatives,
    )


def best(run: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    """Best and all wall times of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), times


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    engagement = build(args.initiatives, args.seed)
    pack = loads_pack(PACK)
    compiled = compile_pack(pack)
    records = SubjectData(engagement).records(
        "initiative",
        engagement.initiatives,
        compiled.names,
        compiled.free,
    )
    function = compiled.function
    engine_scores = [function(values, 0.0)[0] for values in records]
    hand_scores = [hand_written(values, 0.0) for values in records]
    if engine_scores != hand_scores:
        raise SystemExit("the engine and the hand-written function disagree")

    # Time the two in adjacent pairs, alternating which goes first, so background load hits
    # both alike; the ratio is the median of the pair ratios.
    engine_times: list[float] = []
    hand_times: list[float] = []
    for round_ in range(args.repeat):
        runs = [
            (engine_times, lambda: [function(v, 0.0) for v in records]),
            (hand_times, lambda: [hand_written(v, 0.0) for v in records]),
        ]
        for times, run in runs if round_ % 2 == 0 else runs[::-1]:
            times.append(best(run, 1)[0])
    ratios = [e / h for e, h in zip(engine_times, hand_times, strict=True)]
    start = time.perf_counter()
    result = prioritize(engagement, [pack])
    end_to_end = time.perf_counter() - start
    start = time.perf_counter()
    steps = sum(len(item.steps) for item in result.initiatives)
    explained = time.perf_counter() - start
    if steps < args.initiatives:
        raise SystemExit("expected an explanation for every initiative")

    n = args.initiatives
    hand = statistics.median(hand_times) / n * 1e6
    rows = [
        ("hand-written Python", hand, min(hand_times) / n * 1e6),
        (
            "engine (fused pack function)",
            statistics.median(engine_times) / n * 1e6,
            min(engine_times) / n * 1e6,
        ),
        ("prioritize, end to end", end_to_end / n * 1e6, None),
        ("  + reading every explanation", explained / n * 1e6, None),
    ]
    print(f"{n:,} initiatives x {len(pack.rules)} rules, {args.repeat} paired runs")
    print(f"{'':<30} {'us/eval':>8} {'best':>6} {'x hand':>7}")
    for name, micros, fastest in rows:
        best_text = f"{fastest:.2f}" if fastest is not None else ""
        print(f"{name:<30} {micros:>8.2f} {best_text:>6} {micros / hand:>7.2f}")
    print(
        f"engine / hand-written: median of paired ratios {statistics.median(ratios):.2f} "
        f"(range {min(ratios):.2f}-{max(ratios):.2f})"
    )


if __name__ == "__main__":
    main()
