"""The HTML report as a person sees it: opened in headless Chromium (Debian's `chromium`,
installed by .ci/run), its rendered DOM read back and a screenshot taken."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from wordlens.cli.main import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); CI installs "
                             "it in .ci/run")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-dev-shm-usage"]


def _chromium(*args: str, cwd) -> str:
    p = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120,
                       cwd=cwd)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def _page(tmp_path, result) -> tuple[str, bytes]:
    """The rendered DOM and a 1300x2000 screenshot of ``wordlens report`` on ``result``."""
    path = result.save(tmp_path / "result.json")
    html = tmp_path / "report.html"
    assert main(["report", str(path), "--out", str(html)]) == 0
    dom = _chromium("--dump-dom", html.as_uri(), cwd=tmp_path)
    _chromium(f"--screenshot={tmp_path / 'shot.png'}", "--window-size=1300,2000",
              html.as_uri(), cwd=tmp_path)
    return dom, (tmp_path / "shot.png").read_bytes()


def test_diff_report_renders_its_table_and_plot(tmp_path, datasets, encoder):
    import wordlens

    from .conftest import read_jsonl

    a = read_jsonl(datasets / "amazon_pos_vs_neg" / "a.jsonl", limit=60)
    b = read_jsonl(datasets / "amazon_pos_vs_neg" / "b.jsonl", limit=60)
    result = wordlens.diff(a, b, hypotheses=["expresses positive sentiment",
                                             "complains about a problem",
                                             "is about the weather"])
    dom, png = _page(tmp_path, result)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    head = re.search(r"<thead>(.*?)</thead>", dom, re.S).group(1)
    for column in ("validity", "95% CI", "q (BH)", "AUC", "sig"):
        assert column in head
    rows = re.findall(r"<tr class=\"(sig|ns)\">", dom)
    leaders = [h for h in result.hypotheses if h.group is None or h.group == h.rank]
    assert rows.count("sig") == sum(h.significant for h in leaders) > 0
    assert "<svg" in dom  # the forest plot (matplotlib) is on the page


def test_distill_report_page_shows_agreement_and_speed(tmp_path):
    from wordlens.distill.result import Agreement, DistillReport

    agree = Agreement(n_pairs=900, n_hypotheses=6, teacher_positive_rate=0.2, accuracy=0.95,
                      majority_baseline=0.8, balanced_accuracy=0.9, cohen_kappa=0.8,
                      spearman=0.7, ece=0.02, ece_uncalibrated=0.05)
    report = DistillReport(
        teacher={"name": "joint"}, student={"name": "student"}, data={}, budget=600,
        teacher_calls={"training": 510, "calibration": 90, "evaluation": 900},
        selection={}, seen_hypotheses=agree, unseen_hypotheses=None, all_heldout=agree,
        per_hypothesis=[{"hypothesis": "is about sports", "seen_in_training": True,
                         "accuracy": 0.9}],
        throughput={"teacher": 100.0, "student_cold": 7000.0, "student_warm": 9000.0,
                    "shape": "6x150"}, timing={})
    dom, png = _page(tmp_path, report)
    assert png.startswith(b"\x89PNG")
    assert "70x faster than the teacher cold, 90x faster warm" in dom
    assert "0.950" in dom and "is about sports" in dom
