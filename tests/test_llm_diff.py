"""`wordlens diff --model openai-compatible:...` end to end against a real local HTTP server."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from wordlens.cache import Cache
from wordlens.cli.main import main

from .conftest import ROOT
from .llm_server import ScriptedLLMServer

PAIR = "bbc_tech_vs_sports"


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def llm_args(srv, pair, out, *extra):
    return ["diff", pair / "a.jsonl", pair / "b.jsonl", "--max-texts", "80", "--out", out,
            "--model", "openai-compatible:scripted", "--base-url", srv.url, *extra]


def stats(path):
    data = json.loads(path.read_text())
    return [(h["hypothesis"], h["validity"], h["ci_low"], h["ci_high"], h["p_value"],
             h["q_value"], h["auc"], h["significant"]) for h in data["hypotheses"]]


def test_diff_with_an_openai_compatible_server_has_the_offline_schema(
        capsys, tmp_path, datasets, encoder):
    pair = datasets / PAIR
    with ScriptedLLMServer() as srv:
        code, stdout, _ = cli(capsys, *llm_args(srv, pair, tmp_path / "llm.json",
                                                "--cache-dir", tmp_path / "c"))
    assert code == 0 and "LLM judge openai-compatible:scripted" in stdout
    code, _, _ = cli(capsys, "diff", pair / "a.jsonl", pair / "b.jsonl", "--max-texts", "80",
                     "--out", tmp_path / "offline.json")
    assert code == 0
    llm, off = (json.loads((tmp_path / f).read_text()) for f in ("llm.json", "offline.json"))
    assert llm["schema"] == off["schema"] and set(llm) == set(off)
    assert set(llm["hypotheses"][0]) == set(off["hypotheses"][0])
    top = llm["hypotheses"][0]
    assert top["hypothesis"] == "is about technology" and top["direction"] == "A"
    assert top["significant"] and top["source"] == "llm:openai-compatible:scripted"
    usage = llm["judge"]["usage"]
    assert usage["calls"] > 0 and usage["tokens_in"] > 0
    assert llm["proposer"]["usage"]["calls"] == 4
    assert off["judge_controls"] is None  # controls are for LLM judges
    ctl = llm["judge_controls"]  # the scripted judge reads placebos and negations
    assert len(ctl["controls"]) == 3 and ctl["bias_bound"] is None and not ctl["flagged"]


def test_thirty_percent_faults_give_the_same_result_as_a_clean_run(capsys, tmp_path,
                                                                    datasets, monkeypatch):
    pair = datasets / PAIR
    monkeypatch.setenv("WORDLENS_LLM_TIMEOUT", "0.2")
    monkeypatch.setenv("WORDLENS_LLM_BACKOFF", "0.01")
    monkeypatch.setenv("WORDLENS_LLM_MAX_ATTEMPTS", "12")
    runs = {}
    for rate in (0.0, 0.3):
        with ScriptedLLMServer(fault_rate=rate, timeout_sleep_s=0.4) as srv:
            out = tmp_path / f"r{rate}.json"
            code, _, err = cli(capsys, *llm_args(srv, pair, out, "--no-cache",
                                                 "--max-texts", "50"))
            assert code == 0, err
            runs[rate] = (stats(out), srv.log)
    (clean, _), (faulty, log) = runs[0.0], runs[0.3]
    faults = sum(e["status"] != "ok" for e in log)
    assert clean == faulty and len(clean) >= 4
    assert faults / len(log) > 0.2  # faults really happened (~30 % of all requests)


def test_budget_stop_saves_a_partial_result(capsys, tmp_path, datasets):
    pair = datasets / PAIR
    out = tmp_path / "partial.json"
    with ScriptedLLMServer() as srv:
        code, _, err = cli(capsys, *llm_args(srv, pair, out, "--cache-dir", tmp_path / "c",
                                             "--judge-batch", "1", "--max-calls", "200"))
        assert code == 4 and "call budget reached" in err and "partial result" in err
        assert len(srv.successes()) == 200
        data = json.loads(out.read_text())
        assert any(n.startswith("Partial result") for n in data["notes"])
        assert data["verification"]["rounds"] >= 1 and data["hypotheses"]
        # rerun with more budget: the 200 finished calls are not paid again
        code, _, err = cli(capsys, *llm_args(srv, pair, out, "--cache-dir", tmp_path / "c",
                                             "--judge-batch", "1"))
        assert code == 0, err
        shas = [e["sha"] for e in srv.log if e["status"] == "ok"]
        assert len(shas) == len(set(shas)) > 200  # the rerun paid only for new calls


@pytest.mark.slow
def test_kill_9_then_rerun_repeats_no_finished_call(tmp_path, datasets):
    pair = datasets / PAIR
    cache_dir = tmp_path / "cache"
    with ScriptedLLMServer(delay_s=0.02) as srv:
        cmd = [sys.executable, "-m", "wordlens.cli.main",
               *map(str, llm_args(srv, pair, tmp_path / "r.json", "--judge-batch", "1",
                                  "--cache-dir", cache_dir))]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 240  # a loaded machine starts the process slowly
        while len(srv.successes()) < 120 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        first = list(srv.log)
        answered = {e["sha"] for e in first if e["status"] == "ok"}
        cache = Cache(cache_dir)
        committed = {v["request_sha"] for v in cache.values()}
        cache.close()
        assert len(committed) >= 100 and committed <= answered
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        second = [e["sha"] for e in srv.log[len(first):]]
    repeated_finished = sum(s in committed for s in second)
    repeated_in_flight = sum(s in answered - committed for s in second)
    print(f"killed after {len(answered)} answered calls ({len(committed)} cached); rerun made "
          f"{len(second)} calls, {repeated_finished} of them repeats of finished calls, "
          f"{repeated_in_flight} repeats of calls in flight at the kill")
    assert repeated_finished == 0
    assert repeated_in_flight <= 8  # at most the requests in flight (concurrency)
    assert json.loads((tmp_path / "r.json").read_text())["hypotheses"]


@pytest.mark.parametrize("method", ["auto", "uniform"])
def test_amortized_llm_run_says_what_it_spent(capsys, tmp_path, datasets, method):
    """`--verify amortized` with an LLM judge, end to end: the default (auto) is the active
    method, ``--amortized-method uniform`` the uniform one; the JSON and the terminal say
    what the teacher spent against an exhaustive run."""
    pair = datasets / PAIR
    hyps = tmp_path / "h.txt"
    hyps.write_text("is about technology\nmentions a team or a match\nmentions money\n"
                    "mentions a company\n")
    with ScriptedLLMServer() as srv:
        code, stdout, err = cli(capsys, "diff", pair / "a.jsonl", pair / "b.jsonl",
                                "--max-texts", "60", "--hypotheses", hyps, "--judge-model",
                                "openai-compatible:scripted", "--base-url", srv.url,
                                "--no-judge-controls", "--verify", "amortized",
                                "--teacher-budget", "40", "--amortized-method", method,
                                "--no-cache", "--out", tmp_path / "r.json")
    assert code == 0, err
    data = json.loads((tmp_path / "r.json").read_text())
    v = data["verification"]
    assert v["method"] == "amortized"
    assert v["amortized_method"] == ("active" if method == "auto" else "uniform")
    assert 0 < v["teacher_calls"] <= 40 < v["teacher_calls_if_exhaustive"]
    per = [h["amortized"] for h in data["hypotheses"]]
    assert len(per) == 4 and sum(d["teacher_labels"] for d in per) <= v["teacher_calls"]
    assert all(d["teacher_labels"] >= 4 for d in per)
    if method == "auto":
        assert all(d["effective_labels"] > 0 for d in per)
    assert f"{v['teacher_calls']} teacher judgments of the" in " ".join(stdout.split())
    assert f"{v['amortized_method']} method" in " ".join(stdout.split())
    top = data["hypotheses"][0]
    assert top["hypothesis"] in ("is about technology", "mentions a team or a match")


def test_an_unknown_amortized_method_exits_2(capsys, datasets):
    pair = datasets / PAIR
    code, _, err = cli(capsys, "diff", pair / "a.jsonl", pair / "b.jsonl", "--verify",
                       "amortized", "--amortized-method", "clever")
    assert code == 2 and "--amortized-method" in err and "Traceback" not in err
