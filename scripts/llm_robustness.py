"""Measure the LLM path's robustness against the scripted OpenAI-compatible test server.

    python scripts/llm_robustness.py [--pair bbc_tech_vs_sports] [--fault-rate 0.3]

Prints: (1) whether a diff with injected faults (timeouts, 429, 500, garbage) gives the same
hypotheses and statistics as a clean run, with request/fault/retry counts; (2) a kill -9
resume: calls answered before the kill, how many were cached, and how many calls of the
rerun repeat a finished (cached) call.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from llm_server import ScriptedLLMServer  # noqa: E402

DATASETS = Path(os.environ.get("WORDLENS_DATASETS", ROOT.parent / "shared" / "datasets"))


def run_cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wordlens.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=600)


def stats(path: Path) -> list:
    return [(h["hypothesis"], h["validity"], h["ci_low"], h["ci_high"], h["p_value"],
             h["q_value"], h["auc"], h["significant"])
            for h in json.loads(path.read_text())["hypotheses"]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pair", default="bbc_tech_vs_sports")
    ap.add_argument("--fault-rate", type=float, default=0.3)
    ap.add_argument("--max-texts", type=int, default=120)
    args = ap.parse_args()
    pair = DATASETS / args.pair
    tmp = Path(tempfile.mkdtemp(prefix="wordlens-llm-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "WORDLENS_LLM_TIMEOUT": "0.3",
           "WORDLENS_LLM_BACKOFF": "0.01", "WORDLENS_LLM_MAX_ATTEMPTS": "12"}
    base = ["diff", str(pair / "a.jsonl"), str(pair / "b.jsonl"), "--max-texts",
            str(args.max_texts), "--model", "openai-compatible:scripted"]

    results = {}
    for rate in (0.0, args.fault_rate):
        with ScriptedLLMServer(fault_rate=rate, timeout_sleep_s=0.6) as srv:
            out = tmp / f"faults{rate}.json"
            t = time.perf_counter()
            p = run_cli([*base, "--base-url", srv.url, "--no-cache", "--out", str(out)], env)
            assert p.returncode == 0, p.stderr
            log = srv.log
            results[rate] = stats(out)
            faults = {k: sum(e["status"] == k for e in log)
                      for k in ("timeout", "429", "500", "garbage")}
            print(f"fault rate {rate:.0%}: {len(log)} requests, {sum(faults.values())} faults "
                  f"{faults}, {len(results[rate])} hypotheses, "
                  f"{time.perf_counter() - t:.1f}s")
    same = results[0.0] == results[args.fault_rate]
    print(f"identical hypotheses and statistics (validity, CI, p, q, AUC, significant): "
          f"{same}")

    cache_dir = tmp / "cache"
    with ScriptedLLMServer(delay_s=0.02) as srv:
        cmd = [sys.executable, "-m", "wordlens.cli.main", *base, "--base-url", srv.url,
               "--judge-batch", "1", "--cache-dir", str(cache_dir), "--out",
               str(tmp / "resume.json")]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        while len(srv.successes()) < 150 and proc.poll() is None:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        first = list(srv.log)
        answered = {e["sha"] for e in first if e["status"] == "ok"}
        from wordlens.cache import Cache

        cache = Cache(cache_dir)
        committed = {v["request_sha"] for v in cache.values()}
        cache.close()
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stderr
        second = [e["sha"] for e in srv.log[len(first):]]
    print(f"kill -9 after {len(answered)} answered calls ({len(committed)} committed to the "
          f"cache); rerun made {len(second)} calls: {sum(s in committed for s in second)} "
          f"repeats of finished calls, {sum(s in answered - committed for s in second)} "
          "repeats of calls in flight at the kill")


if __name__ == "__main__":
    main()
