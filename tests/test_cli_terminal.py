"""The command line as a person sees it: each command typed into an 80-column terminal
(a pseudo-terminal: progress bars, the table's width, colours), not piped as in the other
tests. Exit 0, the output file, no traceback, and what must be readable on the screen."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import ROOT, TEST_DATA
from .terminal import run_in_pty

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "openpty"),
                                reason="needs a pseudo-terminal (os.openpty)")

ENV = {"WORDLENS_NO_CACHE": "1"}
PAIR = TEST_DATA / "amazon_pos_vs_neg"


def _ok(screen, out=None):
    assert "Traceback" not in screen.text, screen.text[-3000:]
    assert screen.code == 0, screen.text[-3000:]
    if out is not None:
        assert out.exists() and out.stat().st_size > 0


def _table_fits(screen, cols: int = 80) -> None:
    """The result table keeps q and sig on screen, and no line is wider than the terminal."""
    text = screen.text
    assert "q (BH)" in text and "sig" in text, text[-3000:]
    assert max(len(line) for line in text.splitlines()) <= cols
    assert "*" in text  # significant findings are marked


def test_readme_quickstart_in_an_80_column_terminal(tmp_path):
    """The README's "Run it on example data" command, exactly, from a clone's root."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    screen = run_in_pty(["diff", "examples/amazon_reviews/positive.jsonl",
                         "examples/amazon_reviews/negative.jsonl", "--out", "result.json"],
                        cwd=tmp_path, env=ENV)
    _ok(screen, tmp_path / "result.json")
    _table_fits(screen)
    assert "proposing... 60 candidates" in screen.text  # a finished phase leaves its line
    data = json.loads((tmp_path / "result.json").read_text())
    assert any(h["significant"] for h in data["hypotheses"])
    assert "not shown at this width: p, 95% CI, AUC" in screen.text


def test_diff_wide_shows_every_column_and_decompose_runs(tmp_path):
    screen = run_in_pty(["diff", PAIR / "a.jsonl", PAIR / "b.jsonl", "--max-texts", "80",
                         "--decompose", "auto", "--wide", "--out", tmp_path / "d.json"],
                        cwd=tmp_path, env=ENV, cols=160)
    _ok(screen, tmp_path / "d.json")
    for column in ("95% CI", "AUC", "q (BH)", "sig"):
        assert column in screen.text
    assert "Composition:" in screen.text
    assert json.loads((tmp_path / "d.json").read_text())["decomposition"] is not None


def test_explain_in_an_80_column_terminal(tmp_path):
    rows = [json.loads(x) for x in
            (TEST_DATA / "classify_amazon_spurious" / "train.jsonl").read_text().splitlines()]
    preds = tmp_path / "preds.jsonl"
    preds.write_text("".join(json.dumps({"text": r["text"], "prediction": r["label"],
                                         "label": r["label"]}) + "\n" for r in rows[:160]))
    screen = run_in_pty(["explain", preds, "--label-field", "label", "--max-hypotheses", "3",
                         "--out", tmp_path / "e.json"], cwd=tmp_path, env=ENV)
    _ok(screen, tmp_path / "e.json")
    assert "% explained" in screen.text and "choosing hypotheses..." in screen.text
    assert max(len(line) for line in screen.text.splitlines()) <= 80


def test_distill_in_an_80_column_terminal(tmp_path):
    hyps = tmp_path / "h.txt"
    hyps.write_text("is about sports, athletes or matches\nis about technology or computers\n"
                    "is about music, bands or songs\nis about food or cooking\n")
    pair = TEST_DATA / "bbc_tech_vs_sports"
    screen = run_in_pty(["distill", "--data", pair / "a.jsonl", pair / "b.jsonl",
                         "--hypotheses", hyps, "--budget", "60", "--max-texts", "30",
                         "--eval-pairs", "60", "--rounds", "2", "--out", tmp_path / "st"],
                        cwd=tmp_path, env=ENV)
    _ok(screen, tmp_path / "st" / "report.json")
    assert "labelling (teacher)... 51 pairs labelled" in screen.text
    assert "speed: the student is" in screen.text and "0.0x" not in screen.text


def test_bench_in_an_80_column_terminal(tmp_path):
    screen = run_in_pty(["bench", "--only", "null_amazon", "--max-texts", "60", "--out",
                         tmp_path / "b.json"], cwd=tmp_path, env=ENV)
    _ok(screen, tmp_path / "b.json")
    assert "null_amazon" in screen.text and "bench... 1 pairs" in screen.text


def test_help_and_version_read_at_80_columns(tmp_path):
    screen = run_in_pty(["diff", "--help"], cwd=tmp_path)
    _ok(screen)
    lines = screen.text.splitlines()
    assert len(lines) <= 120 and max(len(x) for x in lines) <= 80
    assert "…" not in screen.text  # no option name or help cut short
    for option in ("--judge-hypotheses-per-call", "--wide", "--quiet", "--out"):
        assert option in screen.text
    version = run_in_pty(["--version"], cwd=tmp_path)
    _ok(version)
    assert version.text.strip().startswith("wordlens ")
