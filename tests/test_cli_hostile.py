"""Hostile but ordinary use of the real command line (``python -m wordlens`` in a subprocess):
every case must end with the documented exit code, at most one line on stderr naming the
problem, no traceback, no hang, and no output file created or overwritten.

The cases avoid loading models where they can (``--judge exact``, ``--proposer properties``,
``--hypotheses``), so each costs about one interpreter start.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from .llm_server import ScriptedLLMServer

HANG_S = 240  # a case still running after this long is a hang
CHEAP = ["--judge", "exact", "--proposer", "properties"]
#: a folder no student can be written to (root writes anywhere but in /proc)
UNWRITABLE = "/proc/sys/wordlens-student" if os.geteuid() == 0 else "ro_dir/student"
AMORTIZED_CHEAP = ["--hypotheses", "hyp.jsonl", "--judge", "exact", "--verify", "amortized"]

POS = ["I love this phone, it works great", "Excellent value, would buy again",
       "The best purchase I made this year", "Works perfectly and looks nice",
       "Great sound and a long battery life", "Fast shipping, very happy with it",
       "Wonderful quality for the price", "My kids love it, highly recommend",
       "Exactly as described, great seller", "Amazing, I use it every day",
       "Very comfortable and well made", "Good product, does what it says"]
NEG = ["It broke after two days, terrible", "Waste of money, do not buy",
       "The worst product I have ever owned", "Stopped working, I want a refund",
       "Cheap plastic and poor quality", "Arrived damaged and late",
       "Does not fit, returned it", "Awful customer service, never again",
       "Battery died within a week", "Not worth the price at all",
       "Disappointed, it does not work", "Flimsy and badly made, avoid"]


def _jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str
    wall_s: float

    @property
    def err_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]


def cli(*args, cwd: Path, env: dict | None = None, pre: str = "",
        timeout: float = HANG_S) -> Run:
    """Run the CLI in a fresh interpreter; ``pre`` is Python run first (e.g. to hide a
    package)."""
    code = f"{pre}\nimport sys\nfrom wordlens.__main__ import _run\nsys.exit(_run())"
    full_env = {**os.environ, "WORDLENS_NO_CACHE": "1", "COLUMNS": "200", **(env or {})}
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, env=full_env,
                       capture_output=True, text=True, timeout=timeout)
    return Run(p.returncode, p.stdout, p.stderr, time.perf_counter() - t0)


def _digest(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: file contents, link targets, kinds (to see changes)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = stat.filemode(p.lstat().st_mode)
    return out


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    _jsonl(d / "a.jsonl", [{"text": t} for t in POS])
    _jsonl(d / "b.jsonl", [{"text": t} for t in NEG])
    (d / "h.txt").write_text("expresses satisfaction\nmentions money\n", encoding="utf-8")
    _jsonl(d / "hyp.jsonl", [{"text": "uses words such as 'love', 'great'", "source": "mine",
                              "form": {"kind": "keywords", "words": ["love", "great"]}},
                             {"text": "mentions money",
                              "form": {"kind": "property", "name": "money"}}])
    # a real result to feed `report`
    r = cli("diff", "a.jsonl", "b.jsonl", "--hypotheses", "hyp.jsonl", "--judge", "exact",
            "--out", "result.json", cwd=d)
    assert r.code == 0, r.err
    os.symlink("result.json", d / "result_link.json")
    data = json.loads((d / "result.json").read_text())
    data["hypotheses"][0]["validity"] = "high"
    (d / "bad_validity.json").write_text(json.dumps(data))
    (d / "not_result.json").write_text('{"x": 1}')
    (d / "broken.json").write_text('{"schema": "wordlens.diff/1", ')
    _jsonl(d / "malformed.jsonl", [{"text": "fine"}])
    with open(d / "malformed.jsonl", "a") as fh:
        fh.write('{"text": "oops"\n')
    (d / "empty.jsonl").write_text("")
    (d / "latin1.txt").write_bytes("caf\xe9 cr\xe8me br\xfbl\xe9e\n".encode("latin-1") * 12)
    _jsonl(d / "hyp_bad.jsonl", [{"text": "ok"}, {"hypothesis": "no text field"}])
    (d / "hyp_empty.txt").write_text("# only a comment\n\n")
    _jsonl(d / "scores_out_of_range.jsonl",
           [{"text": t, "prediction": s} for t, s in zip(POS + NEG, [1.7, -0.3, 0.5] * 8)])
    _jsonl(d / "mixed_labels.jsonl",
           [{"text": t, "prediction": v} for t, v in zip(POS + NEG, [0, "0.0", "pos"] * 8)])
    _jsonl(d / "no_pred.jsonl", [{"text": t} for t in POS])
    (d / "folder_out").mkdir()
    (d / "student_file").write_text("not a folder")
    os.mkfifo(d / "fifo")
    for name, meta in (("bad_meta", "{kind: difference"), ("weird_kind",
                                                           '{"kind": "weird", "truth": []}')):
        pair = d / "pairs_" / name
        pair.mkdir(parents=True)
        _jsonl(pair / "a.jsonl", [{"text": t} for t in POS])
        _jsonl(pair / "b.jsonl", [{"text": t} for t in NEG])
        (pair / "meta.json").write_text(meta)
    (d / "no_pairs").mkdir()
    # issue 25: encodings, unreadable files, an unwritable folder, one-value fields
    (d / "a16.txt").write_text("\n".join(POS) + "\n", encoding="utf-16")  # with a BOM
    (d / "a16le.txt").write_bytes(("\n".join(POS) + "\n").encode("utf-16-le"))  # no BOM
    (d / "h_bom.txt").write_text("expresses satisfaction\nmentions money\n",
                                 encoding="utf-8-sig")
    os.symlink("/proc/self/mem", d / "unreadable.jsonl")  # reading it fails (I/O error)
    os.symlink("/proc/self/mem", d / "unreadable.txt")
    (d / "ro_dir").mkdir(mode=0o555)
    _jsonl(d / "one_a.jsonl", [{"text": t, "shop": "x"} for t in POS])
    _jsonl(d / "one_b.jsonl", [{"text": t, "shop": "x"} for t in NEG])
    return d


@dataclass
class Case:
    name: str
    args: list
    code: int
    says: str  # a substring of the one stderr line (case-insensitive)
    env: dict = field(default_factory=dict)
    pre: str = ""


CASES = [
    # -- usage errors: typer/click's own exceptions -----------------------------------------
    Case("seed-not-int", ["diff", "a.jsonl", "b.jsonl", "--seed", "abc"], 2, "--seed"),
    Case("unknown-option", ["diff", "a.jsonl", "b.jsonl", "--frobnicate"], 2, "--frobnicate"),
    Case("missing-argument", ["diff", "a.jsonl"], 2, "missing argument"),
    Case("top-k-float", ["diff", "a.jsonl", "b.jsonl", "--top-k", "2.5"], 2, "--top-k"),
    Case("unknown-command", ["frobnicate"], 2, "no such command"),
    Case("report-no-arg", ["report"], 2, "missing argument"),
    # -- out-of-range options ---------------------------------------------------------------
    Case("top-k-0", ["diff", "a.jsonl", "b.jsonl", "--top-k", "0"], 2, "--top-k"),
    Case("show-negative", ["diff", "a.jsonl", "b.jsonl", "--show", "-3"], 2, "--show"),
    Case("judge-batch-0", ["diff", "a.jsonl", "b.jsonl", "--judge-batch", "0"], 2,
         "--judge-batch"),
    Case("max-texts-negative", ["diff", "a.jsonl", "b.jsonl", "--max-texts", "-5"], 2,
         "--max-texts"),
    Case("seed-negative", ["diff", "a.jsonl", "b.jsonl", "--seed", "-1"], 2, "--seed"),
    Case("alpha-above-1", ["diff", "a.jsonl", "b.jsonl", "--alpha", "1.5"], 2, "--alpha"),
    Case("alpha-0", ["diff", "a.jsonl", "b.jsonl", "--alpha", "0"], 2, "--alpha"),
    Case("max-calls-0", ["diff", "a.jsonl", "b.jsonl", "--max-calls", "0"], 2, "--max-calls"),
    Case("max-cost-negative", ["diff", "a.jsonl", "b.jsonl", "--max-cost", "-1"], 2,
         "--max-cost"),
    Case("unknown-encoding", ["diff", "a.jsonl", "b.jsonl", "--encoding", "klingon"], 2,
         "klingon"),
    Case("report-top-0", ["report", "result.json", "--top", "0", "--out", "r.html"], 2,
         "--top"),
    Case("explain-max-hypotheses-0", ["explain", "scores_out_of_range.jsonl",
                                      "--max-hypotheses", "0"], 2, "--max-hypotheses"),
    Case("distill-budget-0", ["distill", "--data", "a.jsonl", "--hypotheses", "h.txt",
                              "--budget", "0", "--out", "student"], 2, "--budget"),
    Case("bench-max-texts-5", ["bench", "--max-texts", "5"], 2, "--max-texts"),
    Case("train-proposer-epochs-0", ["train-proposer", "--out", "prop", "--corpus",
                                     "a.jsonl", "--epochs", "0"], 2, "--epochs"),
    Case("api-key-env-unset", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "h.txt",
                               "--judge-model", "openai-compatible:x", "--base-url",
                               "http://127.0.0.1:9/v1", "--api-key-env",
                               "WORDLENS_TEST_UNSET_KEY"], 2, "WORDLENS_TEST_UNSET_KEY"),
    # -- bad input files --------------------------------------------------------------------
    Case("missing-file", ["diff", "nope.jsonl", "b.jsonl", *CHEAP], 2, "nope.jsonl"),
    Case("malformed-jsonl", ["diff", "malformed.jsonl", "b.jsonl", *CHEAP], 2,
         "malformed.jsonl:2"),
    Case("empty-file", ["diff", "empty.jsonl", "b.jsonl", *CHEAP], 2, "empty.jsonl"),
    Case("latin1-as-utf8", ["diff", "latin1.txt", "b.jsonl", *CHEAP], 2, "--encoding"),
    Case("missing-text-field", ["diff", "a.jsonl", "b.jsonl", "--text-field", "review",
                                *CHEAP], 2, "review"),
    Case("hypotheses-jsonl-no-text", ["diff", "a.jsonl", "b.jsonl", "--hypotheses",
                                      "hyp_bad.jsonl", "--judge", "exact"], 2,
         "hyp_bad.jsonl:2"),
    Case("hypotheses-missing", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "none.txt"], 2,
         "none.txt"),
    Case("hypotheses-empty", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "hyp_empty.txt"],
         2, "no hypotheses"),
    Case("exact-judge-free-text", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "h.txt",
                                   "--judge", "exact"], 2, "no programmatic form"),
    Case("report-validity-high", ["report", "bad_validity.json", "--out", "r.html"], 2,
         "validity"),
    Case("report-not-a-result", ["report", "not_result.json", "--out", "r.html"], 2,
         "not a wordlens result"),
    Case("report-broken-json", ["report", "broken.json", "--out", "r.html"], 2,
         "broken.json"),
    Case("explain-scores-out-of-range", ["explain", "scores_out_of_range.jsonl"], 2,
         "[0, 1]"),
    Case("explain-mixed-labels", ["explain", "mixed_labels.jsonl"], 2, "mix"),
    Case("explain-no-prediction-field", ["explain", "no_pred.jsonl"], 2, "prediction"),
    Case("bench-malformed-meta", ["bench", "pairs_", "--only", "bad_meta"], 2, "meta.json:1"),
    Case("bench-weird-kind", ["bench", "pairs_", "--only", "weird_kind"], 2, "weird"),
    Case("bench-no-pairs", ["bench", "no_pairs"], 2, "no pair folders"),
    Case("bench-only-unknown", ["bench", "--only", "nope"], 2, "nope"),
    # -- --out: checked before any work, never clobbering -----------------------------------
    Case("out-is-input-a", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--out", "a.jsonl"], 2,
         "is also an input"),
    Case("out-is-folder", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--out", "folder_out"], 2,
         "is a folder"),
    Case("out-dev-full", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--out", "/dev/full"], 2,
         "not a regular file"),
    Case("out-fifo", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--out", "fifo"], 2,
         "not a regular file"),
    Case("out-parent-is-file", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--out",
                                "a.jsonl/result.json"], 2, "not a folder"),
    Case("replay-is-input", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--replay", "b.jsonl"], 2,
         "is also an input"),
    Case("report-out-is-own-input", ["report", "result.json", "--out", "result.json"], 2,
         "is also an input"),
    Case("report-out-link-to-input", ["report", "result.json", "--out", "result_link.json"],
         2, "is also an input"),
    Case("explain-out-is-input", ["explain", "scores_out_of_range.jsonl", "--out",
                                  "scores_out_of_range.jsonl"], 2, "is also an input"),
    Case("explain-surrogate-same-as-out", ["explain", "scores_out_of_range.jsonl", "--out",
                                           "x.json", "--save-surrogate", "x.json"], 2,
         "is also an input"),
    Case("distill-out-is-file", ["distill", "--data", "a.jsonl", "--hypotheses", "h.txt",
                                 "--out", "student_file"], 2, "not a folder"),
    Case("bench-out-folder", ["bench", "--only", "nope", "--out", "folder_out"], 2,
         "is a folder"),
    # -- missing optional packages ----------------------------------------------------------
    Case("no-openai-package", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "h.txt",
                               "--judge-model", "openai-compatible:x", "--base-url",
                               "http://127.0.0.1:9/v1", "--no-cache"], 3,
         "pip install 'wordlens[llm]'", pre="import sys; sys.modules['openai'] = None"),
    Case("no-tenacity-package", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "h.txt",
                                 "--judge-model", "openai-compatible:x", "--base-url",
                                 "http://127.0.0.1:9/v1", "--no-cache"], 3,
         "pip install 'wordlens[llm]'", pre="import sys; sys.modules['tenacity'] = None"),
    # -- issue 25: newer commands, odd encodings ---------------------------------------------
    Case("confirm-with-unknown", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--confirm-with",
                                  "nonsense"], 2, "--confirm-with: unknown judge 'nonsense'"),
    Case("teacher-budget-1", ["diff", "a.jsonl", "b.jsonl", *AMORTIZED_CHEAP,
                              "--teacher-budget", "1"], 2, "--teacher-budget 1"),
    Case("teacher-budget-1-proposing", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--verify",
                                        "amortized", "--teacher-budget", "1"], 2,
         "--teacher-budget 1"),
    Case("teacher-budget-below-2-per-side", ["diff", "a.jsonl", "b.jsonl", *AMORTIZED_CHEAP,
                                             "--teacher-budget", "7"], 2,
         "2 hypotheses need at least 8"),
    Case("student-unwritable", ["diff", "a.jsonl", "b.jsonl", *AMORTIZED_CHEAP, "--student",
                                UNWRITABLE], 2, "--student"),
    Case("student-is-file", ["diff", "a.jsonl", "b.jsonl", *AMORTIZED_CHEAP, "--student",
                             "student_file"], 2, "not a folder"),
    Case("amortized-and-fast", ["diff", "a.jsonl", "b.jsonl", *AMORTIZED_CHEAP, "--fast"], 2,
         "--verify amortized cannot stream"),
    Case("decompose-field-one-value", ["diff", "one_a.jsonl", "one_b.jsonl", *CHEAP,
                                       "--decompose", "field:shop"], 2,
         "--decompose field:shop: the field has a single value"),
    Case("train-proposer-unreadable-corpus", ["train-proposer", "--out", "prop", "--corpus",
                                              "unreadable.jsonl"], 2, "unreadable.jsonl"),
    Case("diff-unreadable-corpus", ["diff", "unreadable.jsonl", "b.jsonl", *CHEAP], 2,
         "unreadable.jsonl: cannot read"),
    Case("hypotheses-unreadable", ["diff", "a.jsonl", "b.jsonl", "--hypotheses",
                                   "unreadable.txt"], 2, "unreadable.txt: cannot read"),
    Case("encoding-utf16-on-utf8", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--encoding",
                                    "utf-16"], 2, "a.jsonl: cannot decode bytes as utf-16"),
    Case("encoding-utf32-on-utf8", ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--encoding",
                                    "utf-32"], 2, "pass --encoding utf-8"),
    Case("utf16-without-bom", ["diff", "a16le.txt", "b.jsonl", *CHEAP], 2,
         "--encoding utf-16-le"),
    # a BOM in a hypotheses .txt is not part of the first hypothesis
    Case("hypotheses-txt-bom", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "h_bom.txt",
                                "--judge", "exact"], 2,
         "cannot judge 'expresses satisfaction'"),
    # -- a server that is not there ---------------------------------------------------------
    Case("closed-port-no-cache", ["diff", "a.jsonl", "b.jsonl", "--hypotheses", "h.txt",
                                  "--judge-model", "openai-compatible:x", "--base-url",
                                  "http://127.0.0.1:9/v1", "--no-cache"], 3,
         "http://127.0.0.1:9/v1"),
]


def _check_failure(r: Run, case: Case) -> None:
    assert "Traceback" not in r.err and "Traceback" not in r.out, r.err
    assert r.code == case.code, (r.code, r.err)
    assert len(r.err_lines) == 1, r.err  # one line, nothing else
    line = r.err_lines[0]
    assert line.startswith("wordlens: error: "), line
    assert case.says.lower() in line.lower(), line


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_one_line_and_changes_nothing(case, work):
    before = _digest(work)
    r = cli(*case.args, cwd=work, env=case.env, pre=case.pre)
    _check_failure(r, case)
    assert _digest(work) == before  # nothing created, nothing overwritten
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_max_calls_without_cache_does_not_claim_a_cache(work, tmp_path):
    with ScriptedLLMServer() as srv:
        r = cli("diff", work / "a.jsonl", work / "b.jsonl", "--hypotheses", work / "h.txt",
                "--judge-model", "openai-compatible:scripted", "--base-url", srv.url,
                "--judge-batch", "1", "--max-calls", "3", "--no-cache", "--out",
                tmp_path / "partial.json", cwd=tmp_path)
    assert r.code == 4 and "Traceback" not in r.err, r.err
    assert r.err_lines[-1].startswith("wordlens: error: call budget reached")
    assert "cached" not in r.err.lower()
    assert json.loads((tmp_path / "partial.json").read_text())["notes"]


def test_interrupt_exits_130_and_writes_nothing(tmp_path):
    rows = [{"text": f"{t} (copy {i})"} for i in range(6000) for t in POS[:4]]
    _jsonl(tmp_path / "big_a.jsonl", rows)
    _jsonl(tmp_path / "big_b.jsonl", [{"text": f"{t} (copy {i})"} for i in range(6000)
                                      for t in NEG[:4]])
    code = "import sys\nfrom wordlens.__main__ import _run\nsys.exit(_run())"
    p = subprocess.Popen([sys.executable, "-c", code, "diff", "big_a.jsonl", "big_b.jsonl",
                          *CHEAP, "--no-adaptive", "--verbose", "--out", "out.json"],
                         cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env={**os.environ, "WORDLENS_NO_CACHE": "1"})
    assert p.stderr is not None
    # "proposed N hypotheses ..." once verifying starts; the verification takes seconds, so
    # on a busy machine the signal still lands in it, not after the run has ended
    first = p.stderr.readline()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=HANG_S)
    assert "proposed" in first, first + err
    assert p.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "wordlens: interrupted"
    assert not (tmp_path / "out.json").exists()
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".out.json")]


def test_two_megabyte_text_completes(tmp_path):
    words = "the movie was great but not really good and I hated it love it somewhat".split()
    big = " ".join(words[i % len(words)] for i in range(400_000))[:2_000_000]
    _jsonl(tmp_path / "a.jsonl", [{"text": t} for t in POS] + [{"text": big}])
    _jsonl(tmp_path / "b.jsonl", [{"text": t} for t in NEG] + [{"text": big[:600_000]}])
    r = cli("diff", "a.jsonl", "b.jsonl", *CHEAP, "--out", "r.json", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err, r.err
    notes = json.loads((tmp_path / "r.json").read_text())["notes"]
    assert any("longer than 5,000 characters" in n for n in notes)


def test_duplicates_and_non_english_are_noted_without_raw_warnings(tmp_path):
    _jsonl(tmp_path / "dup.jsonl", [{"text": POS[0]}] * 300 + [{"text": POS[1]}] * 10)
    arabic = ["هذا المنتج رائع جدا وأنا أوصي به", "الفيلم كان مملا للغاية",
              "الخدمة سريعة والسعر مناسب", "لم يعجبني هذا الكتاب"] * 4
    _jsonl(tmp_path / "ar.jsonl", [{"text": f"{t} {i}"} for i, t in enumerate(arabic)])
    r = cli("diff", "dup.jsonl", "ar.jsonl", *CHEAP, "--out", "r.json", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert "Warning" not in r.err, r.err
    notes = " ".join(json.loads((tmp_path / "r.json").read_text())["notes"])
    assert "Corpus A has 308 duplicate texts" in notes
    assert "B (only 0% of texts identified as English; 100% identified as Arabic) does not " \
        "look like English" in notes


def test_hypotheses_jsonl_reads_the_text_field(work, tmp_path):
    r = cli("diff", work / "a.jsonl", work / "b.jsonl", "--hypotheses", work / "hyp.jsonl",
            "--judge", "exact", "--out", tmp_path / "r.json", cwd=tmp_path)
    assert r.code == 0, r.err
    rows = json.loads((tmp_path / "r.json").read_text())["hypotheses"]
    assert {h["hypothesis"] for h in rows} == {"uses words such as 'love', 'great'",
                                               "mentions money"}
    assert {h["source"] for h in rows} == {"mine", "user"}


def test_out_symlink_is_followed_with_normal_permissions(work, tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o664)
    os.symlink(target, tmp_path / "link.json")
    r = cli("diff", work / "a.jsonl", work / "b.jsonl", "--hypotheses", work / "hyp.jsonl",
            "--judge", "exact", "--out", tmp_path / "link.json", cwd=tmp_path)
    assert r.code == 0, r.err
    assert (tmp_path / "link.json").is_symlink()  # the link is kept, its target replaced
    assert json.loads(target.read_text())["schema"] == "wordlens.diff/1"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664  # the replaced file's mode is kept
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real.json"]  # no temporary left


def test_new_output_file_respects_the_umask(work, tmp_path):
    old = os.umask(0o027)
    try:
        r = cli("report", work / "result.json", "--out", tmp_path / "r.html", cwd=tmp_path)
    finally:
        os.umask(old)
    assert r.code == 0, r.err
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o640


def test_report_without_matplotlib_still_writes_the_page(work, tmp_path):
    r = cli("report", work / "result.json", "--out", tmp_path / "r.html", cwd=tmp_path,
            pre="import sys; sys.modules['matplotlib'] = None")
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert "pip install 'wordlens[report]'" in (tmp_path / "r.html").read_text()


# -- issue 25: the newer commands --------------------------------------------------------------
def _intervals(data) -> list[tuple[float, float]]:
    """Every (low, high) pair of a result JSON: keys ``ci_low``/``ci_high``, their
    ``adjusted_`` forms and ``ppi_ci`` lists, wherever they are."""
    out = []
    if isinstance(data, dict):
        for pre in ("", "adjusted_"):
            lo, hi = data.get(f"{pre}ci_low"), data.get(f"{pre}ci_high")
            if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
                out.append((lo, hi))
        for v in data.values():
            out += _intervals(v)
    elif isinstance(data, list):
        for v in data:
            out += _intervals(v)
    return out


def test_utf16_corpus_is_decoded_from_its_byte_order_mark(work, tmp_path):
    r = cli("diff", work / "a16.txt", work / "b.jsonl", "--hypotheses", work / "hyp.jsonl",
            "--judge", "exact", "--out", tmp_path / "r.json", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err, r.err
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["corpus_a"]["n_texts"] == len(POS)
    shown = " ".join(t for h in data["hypotheses"] for t in h["examples_for"]
                     + h["examples_against"])
    assert "I love this phone" in shown or "great" in shown, shown
    assert "\ufeff" not in shown and "\x00" not in shown


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs the ray extra")
@pytest.mark.parametrize("how", ["flag", "env"])
def test_ray_address_with_nothing_listening_fails_fast(work, how):
    before = _digest(work)
    args = ["diff", "a.jsonl", "b.jsonl", *CHEAP, "--engine", "ray"]
    env = {"RAY_ADDRESS": "127.0.0.1:1"} if how == "env" else {}
    if how == "flag":
        args += ["--ray-address", "127.0.0.1:1"]
    r = cli(*args, cwd=work, env=env, timeout=60)  # Ray alone retries for minutes
    _check_failure(r, Case("ray", [], 3, "cannot connect to 127.0.0.1:1"))
    assert _digest(work) == before


@pytest.fixture(scope="module")
def decomposed(work) -> Path:
    """A real result with a decomposition section (field groups, exact judge)."""
    rows = lambda texts: [{"text": t, "g": "xy"[i % 2]} for i, t in enumerate(texts)]  # noqa: E731
    _jsonl(work / "ga.jsonl", rows(POS))
    _jsonl(work / "gb.jsonl", rows(NEG))
    r = cli("diff", "ga.jsonl", "gb.jsonl", *CHEAP, "--decompose", "field:g", "--out",
            "dec.json", cwd=work)
    assert r.code == 0, r.err
    return work / "dec.json"


def _variant(path: Path, out: Path, change) -> Path:
    data = json.loads(path.read_text())
    change(data)
    out.write_text(json.dumps(data))
    return out


def test_report_of_a_newer_diff_schema_renders_with_a_warning(work, tmp_path):
    src = _variant(work / "result.json", tmp_path / "v2.json",
                   lambda d: d.__setitem__("schema", "wordlens.diff/2"))
    r = cli("report", src, "--out", tmp_path / "r.html", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("wordlens: warning: ")
    assert "wordlens.diff/2" in r.err_lines[0]
    page = (tmp_path / "r.html").read_text()
    assert "Warning:" in page and "wordlens.diff/2" in page


def test_report_of_a_newer_decomposition_renders_or_leaves_it_out(decomposed, tmp_path):
    def newer_with_extra_field(d):
        d["decomposition"]["schema"] = "wordlens.decomposition/2"
        for g in d["decomposition"]["groups"]:
            g["size_label"] = "small"  # a field added by the newer version

    def newer_restructured(d):
        d["decomposition"]["schema"] = "wordlens.decomposition/2"
        d["decomposition"]["groups"] = {"rows": d["decomposition"]["groups"]}

    for change, section in ((newer_with_extra_field, True), (newer_restructured, False)):
        src = _variant(decomposed, tmp_path / "d2.json", change)
        r = cli("report", src, "--out", tmp_path / "r.html", cwd=tmp_path)
        assert r.code == 0 and "Traceback" not in r.err, r.err
        assert len(r.err_lines) == 1 and r.err_lines[0].startswith("wordlens: warning: ")
        assert "wordlens.decomposition/2" in r.err_lines[0]
        page = (tmp_path / "r.html").read_text()
        assert ("<h2>Decomposition</h2>" in page) == section
        assert "Warning:" in page


def test_report_of_a_malformed_decomposition_is_one_line(decomposed, tmp_path):
    src = _variant(decomposed, tmp_path / "bad.json",
                   lambda d: d["decomposition"].__setitem__("within", [{"x": 1}]))
    before = _digest(tmp_path)
    r = cli("report", src, "--out", tmp_path / "r.html", cwd=tmp_path)
    _check_failure(r, Case("bad-decomposition", [], 2, "decomposition"))
    assert _digest(tmp_path) == before


def test_small_decomposition_prints_no_warnings_and_keeps_intervals_in_bounds(work, tmp_path):
    # 12 texts a side, 4 clusters: groups of one or two texts (this seed gave numpy
    # RuntimeWarnings in adaptive stopping and intervals such as [-0.65, +1.65])
    r = cli("diff", work / "a.jsonl", work / "b.jsonl", "--decompose", "4", "--seed", "3",
            "--out", tmp_path / "r.json", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert "Warning" not in r.err, r.err
    data = json.loads((tmp_path / "r.json").read_text())
    ivs = _intervals(data)
    assert len(ivs) > 10 and "decomposition" in data
    assert all(-1.0 <= lo <= hi <= 1.0 for lo, hi in ivs), [v for v in ivs
                                                            if not -1 <= v[0] <= v[1] <= 1]


def _many(tmp_path: Path, n: int) -> tuple[Path, Path]:
    """``n`` distinct texts a side (enough that amortized verification stays amortized)."""
    a = _jsonl(tmp_path / "many_a.jsonl", [{"text": f"{t} ({i})"} for i in range(n)
                                           for t in POS][: n * 12])
    b = _jsonl(tmp_path / "many_b.jsonl", [{"text": f"{t} ({i})"} for i in range(n)
                                           for t in NEG][: n * 12])
    return a, b


def test_max_calls_on_an_amortized_run_writes_a_partial_result(work, tmp_path):
    a, b = _many(tmp_path, 9)  # 108 texts a side
    with ScriptedLLMServer() as srv:
        r = cli("diff", a, b, "--hypotheses", work / "hyp.jsonl", "--judge-model",
                "openai-compatible:scripted", "--base-url", srv.url, "--judge-batch", "1",
                "--verify", "amortized", "--max-calls", "5", "--no-cache", "--out",
                tmp_path / "partial.json", cwd=tmp_path)
    assert r.code == 4 and "Traceback" not in r.err, r.err
    assert r.err_lines[-1].startswith("wordlens: error: call budget reached")
    assert "partial result written to" in r.err_lines[-1]
    data = json.loads((tmp_path / "partial.json").read_text())
    assert data["verification"]["method"] == "amortized"
    assert any(n.startswith("Partial result:") for n in data["notes"])
    listed = data["verification"].get("unverified_hypotheses", [])
    assert len(data["hypotheses"]) + len(listed) == 2


_SAVER = """
import sys, time
import numpy as np
from wordlens.judges.student import StudentJudge
from wordlens.judges.student_heads import MLPHead
folder, writer, reps, t0 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rng = np.random.default_rng(writer)
dim = 2000  # 1.6 MB of weights, about a real student's: the old fixed temporary name
members = [{"w1": rng.normal(size=(dim, 100)), "b1": rng.normal(size=100),  # crashed here
            "w2": rng.normal(size=100), "b2": rng.normal(size=1)}]
head = MLPHead(hidden=100, n_members=1).restore(members, dim)
s = StudentJudge(head=head)
s.references_ = rng.normal(size=(3, 4))
s.platt_, s.n_train_pairs_ = (1.0, 0.0), 10
for r in range(reps):
    while time.time() < t0 + 0.4 * r:  # every writer starts repetition r at the same time
        time.sleep(0.0005)
    won = s.save_new(f"{folder}/rep{r}/students/key", extra={"writer": writer})
    print(r, int(won), flush=True)
"""


def test_students_saved_at_once_to_one_folder_stay_whole(tmp_path):
    """The cache race of two amortized runs, made frequent: four processes save a student
    to the same folder at the same moment, twenty times; each time exactly one wins, and
    the folder holds that writer's student whole (meta and weights from one writer) with no
    temporary folder left."""
    writers, reps = 4, 20
    t0 = time.time() + 8.0  # time for the interpreters to start
    procs = [subprocess.Popen([sys.executable, "-c", _SAVER, str(tmp_path), str(w), str(reps),
                               str(t0)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for w in range(writers)]
    outs = [p.communicate(timeout=HANG_S) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0 and "Traceback" not in err, err
    wins = {r: [] for r in range(reps)}
    for w, (out, _) in enumerate(outs):
        for line in out.split("\n"):
            if line.strip():
                r, won = map(int, line.split())
                if won:
                    wins[r].append(w)
    from wordlens.judges.student import StudentJudge

    for r in range(reps):
        folder = tmp_path / f"rep{r}" / "students" / "key"
        assert len(wins[r]) == 1, (r, wins[r])
        meta = json.loads((folder / "student.json").read_text())
        assert meta["writer"] == wins[r][0]
        loaded = StudentJudge.load(folder)
        rng = np.random.default_rng(wins[r][0])
        assert np.allclose(loaded.head.members_[0]["w1"], rng.normal(size=(2000, 100)))
        assert sorted(os.listdir(folder.parent)) == ["key"]  # no temporary folder left


def test_two_amortized_runs_sharing_a_cache_both_succeed(work, tmp_path):
    """Two real `wordlens diff --verify amortized` runs at once on one cache folder (each
    distils a student and saves it there), WORDLENS_RACE_REPEATS times (default 1: each
    pair costs two student distillations)."""
    a, b = _many(tmp_path, 9)
    for rep in range(int(os.environ.get("WORDLENS_RACE_REPEATS", "1"))):
        cache = tmp_path / f"cache{rep}"
        code = "import sys\nfrom wordlens.__main__ import _run\nsys.exit(_run())"
        env = {**os.environ, "COLUMNS": "200"}
        env.pop("WORDLENS_NO_CACHE", None)
        procs = [subprocess.Popen(
            [sys.executable, "-c", code, "diff", str(a), str(b), "--hypotheses",
             str(work / "h.txt"), "--verify", "amortized", "--amortized-method", "uniform",
             "--teacher-budget", "100",
             "--cache-dir", str(cache), "--out", str(tmp_path / f"r{rep}_{i}.json")],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(2)]
        outs = [p.communicate(timeout=2 * HANG_S) for p in procs]
        for p, (_, err) in zip(procs, outs):
            assert p.returncode == 0 and "Traceback" not in err, err
        for i in range(2):
            ver = json.loads((tmp_path / f"r{rep}_{i}.json").read_text())["verification"]
            assert ver["method"] == "amortized"
            assert ver["student"]["source"] in ("distilled", "cache")
        students = cache / "students"
        keys = [k for k in os.listdir(students)]
        assert len(keys) == 1, keys  # one student, no temporary folder left
        assert {"student.json", "heads.npz"} <= set(os.listdir(students / keys[0]))
