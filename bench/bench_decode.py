"""Decode rate and time per frame on the corpus: each decoder alone and the pipeline.

    .venv/bin/python bench/bench_decode.py            # 600 frames, side-by-side table
    .venv/bin/python bench/bench_decode.py -n 240 --stages   # + what each stage adds

``--stages`` runs every (decoder, preprocessing) pair on every frame and prints a
greedy cover: which stages read frames the ones before them missed. That is how
``devices.decoding.DEFAULT_STAGES`` was chosen. Prints figures; never fails.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from devices.corpus import DEFAULT_SEED, generate
from devices.decoding import (
    PREPROCESS,
    PipelineDecoder,
    PyzbarDecoder,
    Stage,
    get_decoder,
    to_gray,
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=600, help="corpus frames (default 600)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--stages", action="store_true", help="also measure every stage alone")
    args = ap.parse_args()

    t0 = time.perf_counter()
    corpus = list(generate(args.n, args.seed))
    print(f"corpus: {args.n} frames 1280x720, seed {args.seed}, "
          f"generated in {time.perf_counter() - t0:.1f} s; cores: {os.cpu_count()}")  # fmt: skip

    names = ["zxing-cpp", "opencv-qr"] + (["pyzbar"] if PyzbarDecoder.available() else [])
    decoders = {n: get_decoder(n) for n in names}
    decoders["pipeline"] = PipelineDecoder()
    hits: dict[str, int] = collections.Counter()
    times: dict[str, list[float]] = collections.defaultdict(list)
    by_cond: dict[tuple[str, str], int] = collections.Counter()
    cond_n: dict[str, int] = collections.Counter()
    stage_hits: dict[str, int] = collections.Counter()
    for s in corpus:
        gray = to_gray(s.image)
        cond_n[s.truth.condition] += 1
        for name, dec in decoders.items():
            t = time.perf_counter()
            if isinstance(dec, PipelineDecoder):
                result = dec.run(gray)
                codes = result.codes
            else:
                codes = dec.decode(gray)
            times[name].append((time.perf_counter() - t) * 1000)
            ok = any(c.text == s.truth.text for c in codes)
            hits[name] += ok
            by_cond[(name, s.truth.condition)] += ok
            if ok and isinstance(dec, PipelineDecoder):
                stage_hits[codes[0].decoder] += 1

    print()
    print("| decoder | read | rate | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for name in decoders:
        t = np.array(times[name])
        print(f"| {name} | {hits[name]}/{args.n} | {hits[name] / args.n:.1%} | "
              f"{np.median(t):.1f} | {np.percentile(t, 95):.1f} |")  # fmt: skip
    print()
    print("| condition | frames | " + " | ".join(decoders) + " |")
    print("|---|---:|" + "---:|" * len(decoders))
    for cond in sorted(cond_n):
        cells = " | ".join(f"{by_cond[(n, cond)] / cond_n[cond]:.0%}" for n in decoders)
        print(f"| {cond} | {cond_n[cond]} | {cells} |")
    print()
    print("pipeline reads by stage: "
          + ", ".join(f"{k} {v}" for k, v in stage_hits.most_common()))  # fmt: skip

    if args.stages:
        stage_list = [Stage(d, p) for d in ["zxing-cpp", *names[1:]] for p in PREPROCESS]
        singles = {st.label: PipelineDecoder([st], budget_ms=1e9) for st in stage_list}
        found: dict[str, set[int]] = collections.defaultdict(set)
        st_times: dict[str, list[float]] = collections.defaultdict(list)
        for s in corpus:
            gray = to_gray(s.image)
            for label, dec in singles.items():
                t = time.perf_counter()
                codes = dec.decode(gray)
                st_times[label].append((time.perf_counter() - t) * 1000)
                if any(c.text == s.truth.text for c in codes):
                    found[label].add(s.index)
        print()
        print("| stage alone | read | median ms |")
        print("|---|---:|---:|")
        for label in singles:
            print(f"| {label} | {len(found[label])} | {np.median(st_times[label]):.1f} |")
        covered = set(found["zxing-cpp"])
        print(f"\ngreedy cover after zxing-cpp ({len(covered)}):")
        left = set(singles) - {"zxing-cpp"}
        while left:
            best = max(left, key=lambda lb: len(found[lb] - covered))
            gain = len(found[best] - covered)
            if gain == 0:
                break
            covered |= found[best]
            left.discard(best)
            print(f"  + {best}: +{gain} -> {len(covered)} ({len(covered) / args.n:.1%})")
        print(f"  adds nothing: {', '.join(sorted(left))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
