"""Cold-start wall time of `wordlens diff` at growing corpus sizes (offline default).

Builds A and B by joining two random sentences of the same side of the shared pairs (A from
every pair's a.jsonl, B from b.jsonl), so every text is distinct, then times the CLI in a
fresh process, as a user would run it.

    python scripts/bench_speed.py --sizes 1000 10000
    python scripts/bench_speed.py --sizes 1000 10000 100000 --fast
    python scripts/bench_speed.py --sizes 1000 --fast --engine ray --ray-cpus 1 2

With --ray-cpus the script starts a local head (`ray start --head`) and ends it with `ray
stop`, which stops every Ray instance of this user on the machine: run it where no other Ray
runs. Peak RSS is the child process's maximum resident set size, CPU its user and system time (the
driver's only, with Ray): on a shared machine CPU time shows the work when wall time is
inflated by other load.
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
RAY = str(Path(sys.executable).with_name("ray"))


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
    ap.add_argument("--fast", action="store_true", help="time `wordlens diff --fast`")
    ap.add_argument("--engine", default=None, help="pass --engine (inprocess, ray)")
    ap.add_argument("--ray-cpus", type=int, nargs="+", default=[None],
                    help="with --engine ray: start a local Ray instance with this many CPUs "
                         "(one run each) and point RAY_ADDRESS at it")
    args = ap.parse_args()
    flags = (["--fast"] if args.fast else []) + (["--engine", args.engine] if args.engine
                                                 else [])
    rng = np.random.default_rng(0)
    pa, pb = pool(args.datasets, "a"), pool(args.datasets, "b")
    wordlens = Path(sys.executable).with_name("wordlens")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            fa, fb = Path(tmp) / f"a{n}.jsonl", Path(tmp) / f"b{n}.jsonl"
            fa.write_text("\n".join(json.dumps({"text": t}) for t in make(pa, n, rng)))
            fb.write_text("\n".join(json.dumps({"text": t}) for t in make(pb, n, rng)))
            for cpus in args.ray_cpus:
                out = Path(tmp) / f"r{n}.json"
                cache = Path(tmp) / f"cache{n}-{cpus}"  # cold: nothing cached, no token table
                env = dict(os.environ, WORDLENS_CACHE_DIR=str(cache))
                head = _ray_head(cpus, env) if cpus is not None else None
                t0 = time.perf_counter()
                proc = subprocess.Popen([str(wordlens), "diff", str(fa), str(fb), "--out",
                                         str(out), "--verbose", *flags], env=env,
                                        stdout=subprocess.DEVNULL)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - t0
                if head is not None:
                    subprocess.run([RAY, "stop"], env=env, capture_output=True)
                if status != 0:
                    sys.exit(f"wordlens diff failed (status {status})")
                r = json.loads(out.read_text())
                phases = ", ".join(f"{k} {v:.1f}s" for k, v in r["timing"].items())
                where = f", Ray {cpus} CPU(s)" if cpus is not None else ""
                print(f"{n} + {n} texts{' --fast' if args.fast else ''}{where}: wall "
                      f"{wall:.1f}s (cold start, fresh process), peak RSS "
                      f"{usage.ru_maxrss / 2**20:.2f} GiB, CPU {usage.ru_utime:.0f}s user + "
                      f"{usage.ru_stime:.0f}s sys; {phases}; "
                      f"{r['verification']['judgments_made']} judgments, "
                      f"{len([h for h in r['hypotheses'] if h['significant']])} significant",
                      flush=True)


def _ray_head(cpus: int, env: dict) -> str:
    """Start a local Ray head with ``cpus`` CPUs; RAY_ADDRESS in ``env`` points at it."""
    subprocess.run([RAY, "start", "--head", f"--num-cpus={cpus}", "--include-dashboard=false",
                    "--disable-usage-stats"], env=env, check=True, capture_output=True)
    env["RAY_ADDRESS"] = "auto"
    return "auto"


if __name__ == "__main__":
    main()
