"""Cold-start wall time of `wordlens diff` at growing corpus sizes (offline default).

Builds A and B by joining two random sentences of the same side of the shared pairs (A from
every pair's a.jsonl, B from b.jsonl), so every text is distinct, then times the CLI in a
fresh process, as a user would run it.

    python scripts/bench_speed.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def pool(datasets: Path, side: str) -> list[str]:
    texts = []
    for d in sorted(datasets.iterdir()):
        f = d / f"{side}.jsonl"
        meta = d / "meta.json"
        if f.exists() and meta.exists() and json.loads(meta.read_text())["kind"] == "difference":
            texts += [json.loads(x)["text"] for x in f.read_text().splitlines() if x.strip()]
    return texts


def make(texts: list[str], n: int, rng: np.random.Generator) -> list[str]:
    out = set()
    while len(out) < n:
        i, j = rng.integers(len(texts), size=2)
        out.add(texts[i][:400] + " " + texts[j][:400])
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    pa, pb = pool(args.datasets, "a"), pool(args.datasets, "b")
    wordlens = Path(sys.executable).with_name("wordlens")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            fa, fb = Path(tmp) / f"a{n}.jsonl", Path(tmp) / f"b{n}.jsonl"
            fa.write_text("\n".join(json.dumps({"text": t}) for t in make(pa, n, rng)))
            fb.write_text("\n".join(json.dumps({"text": t}) for t in make(pb, n, rng)))
            out = Path(tmp) / f"r{n}.json"
            env = dict(os.environ, WORDLENS_CACHE_DIR=str(Path(tmp) / "cache"))
            t0 = time.perf_counter()
            subprocess.run([str(wordlens), "diff", str(fa), str(fb), "--out", str(out),
                            "--verbose"], check=True, env=env, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - t0
            r = json.loads(out.read_text())
            phases = ", ".join(f"{k} {v:.1f}s" for k, v in r["timing"].items())
            print(f"{n} + {n} texts: wall {wall:.1f}s (cold start, fresh process); {phases}; "
                  f"{r['verification']['judgments_made']} judgments, "
                  f"{len([h for h in r['hypotheses'] if h['significant']])} significant",
                  flush=True)


if __name__ == "__main__":
    main()
