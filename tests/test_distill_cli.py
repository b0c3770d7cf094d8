"""`wordlens distill` end to end, then `diff --judge student:DIR --confirm-with`."""

from __future__ import annotations

import json

import pytest

from wordlens.cli.main import main


@pytest.mark.slow
def test_distill_then_diff_with_student_and_confirmation(datasets, tmp_path, capsys):
    pair = datasets / "bbc_tech_vs_sports"
    hyps = tmp_path / "h.txt"
    hyps.write_text("\n".join(["is about sports, athletes or matches",
                               "is about technology, computers, software or the internet",
                               "is about music, bands or songs", "is about food or cooking",
                               "is about politics, government or elections",
                               "is about health, medicine or disease"]))
    out = tmp_path / "student"
    code = main(["distill", "--teacher", "offline", "--data", str(pair / "a.jsonl"),
                 str(pair / "b.jsonl"), "--hypotheses", str(hyps), "--budget", "200",
                 "--max-texts", "40", "--eval-pairs", "200", "--out", str(out)])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["schema"] == "wordlens.distill/1"
    assert report["teacher_calls"]["training"] + report["teacher_calls"]["calibration"] == 200
    res = tmp_path / "d.json"
    code = main(["diff", str(pair / "a.jsonl"), str(pair / "b.jsonl"), "--judge",
                 f"student:{out}", "--hypotheses", str(hyps), "--max-texts", "40",
                 "--confirm-with", "offline", "--confirm-top", "2", "-o", str(res)])
    assert code == 0
    saved = json.loads(res.read_text())
    conf = saved["verification"]["confirmation"]
    assert conf["n"] == 2 and conf["teacher_judgments"] == 2 * 40
    assert any("student distilled from offline" in n for n in saved["notes"])
    assert "top conclusions agree" in capsys.readouterr().out


def test_distill_names_a_missing_hypotheses_file(tmp_path, capsys):
    f = tmp_path / "a.jsonl"
    f.write_text('{"text": "x"}\n')
    code = main(["distill", "--data", str(f), "--hypotheses", str(tmp_path / "nope.txt"),
                 "--out", str(tmp_path / "s")])
    assert code == 2
    assert "nope.txt: no such file" in capsys.readouterr().err
