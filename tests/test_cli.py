import json

import pytest

from wordlens.cli.main import main

from .conftest import ROOT

EX = ROOT / "examples" / "amazon_reviews"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_end_to_end_writes_json_and_table(capsys, tmp_path, encoder):
    out = tmp_path / "result.json"
    code, stdout, _ = run(capsys, "diff", EX / "positive.jsonl", EX / "negative.jsonl",
                          "--out", out, "--max-texts", "120", "--verbose")
    assert code == 0
    assert "validity" in stdout and "significant at q < 0.05" in stdout and "timing:" in stdout
    data = json.loads(out.read_text())
    assert data["schema"] == "wordlens.diff/1" and data["hypotheses"]
    top = data["hypotheses"][0]
    for key in ("validity", "ci_low", "ci_high", "p_value", "q_value", "auc", "significant",
                "examples_for", "examples_against", "direction", "statement"):
        assert key in top
    assert any("positive" in h["hypothesis"] and h["direction"] == "A" and h["significant"]
               for h in data["hypotheses"][:5])


@pytest.mark.parametrize("content, message", [
    ('{"text": "ok"}\n{"text": \n', "b.jsonl:2: malformed JSON"),
    ('{"comment": "x", "id": 1}\n', "cannot tell which field holds the text"),
    ("", "is empty"),
])
def test_bad_input_is_one_line_error_and_writes_nothing(capsys, tmp_path, content, message):
    bad = tmp_path / "b.jsonl"
    bad.write_text(content)
    out = tmp_path / "out.json"
    code, stdout, err = run(capsys, "diff", EX / "positive.jsonl", bad, "--out", out)
    assert code == 2
    assert message in err and err.startswith("wordlens: error:") and err.count("\n") == 1
    assert "Traceback" not in err and not out.exists()


def test_missing_file_and_missing_field(capsys, tmp_path):
    code, _, err = run(capsys, "diff", tmp_path / "nope.jsonl", EX / "negative.jsonl")
    assert code == 2 and "nope.jsonl: no such file" in err
    code, _, err = run(capsys, "diff", EX / "positive.jsonl", EX / "negative.jsonl",
                       "--text-field", "review")
    assert code == 2 and "missing field 'review'" in err


def test_unknown_judge_is_reported(capsys):
    code, _, err = run(capsys, "diff", EX / "positive.jsonl", EX / "negative.jsonl",
                       "--judge", "magic")
    assert code == 2 and "unknown judge 'magic'" in err


def test_user_hypotheses_file(capsys, tmp_path, encoder):
    hyps = tmp_path / "h.txt"
    hyps.write_text("# my ideas\nexpresses disappointment\nasks a question\n")
    code, stdout, _ = run(capsys, "diff", EX / "positive.jsonl", EX / "negative.jsonl",
                          "--hypotheses", hyps, "--max-texts", "60")
    assert code == 0 and "expresses disappointment" in stdout and "asks a question" in stdout


def test_bench_on_a_small_pair_folder(capsys, tmp_path, datasets, encoder):
    import shutil

    for name in ("bbc_tech_vs_sports", "null_amazon"):
        shutil.copytree(datasets / name, tmp_path / name)
    code, stdout, _ = run(capsys, "bench", tmp_path, "--max-texts", "60")
    assert code == 0
    assert "bbc_tech_vs_sports" in stdout and "null_amazon" in stdout
    assert "known difference in top 5: yes" in stdout
    assert "totals" in stdout
