"""`wordlens predict` and `wordlens.load_surrogate`: a saved surrogate applied to new texts,
with the bad-input rules of every command (one line, exit 2, no output written)."""

from __future__ import annotations

import json

import pytest

import wordlens
from wordlens.cli.main import main
from wordlens.explain import HypothesisClassifier
from wordlens.hypothesis import Hypothesis

POS = ["great phone, love it", "love the screen", "great value", "works great, love it",
       "love it so much", "great sound"] * 4
NEG = ["broke after a day", "awful battery", "returned it, awful", "broke again",
       "awful screen, broke", "terrible and awful"] * 4


def _hyps():
    return [Hypothesis("uses words such as 'great', 'love'", "test",
                       {"kind": "keywords", "words": ["great", "love"]}),
            Hypothesis("uses words such as 'awful', 'broke'", "test",
                       {"kind": "keywords", "words": ["awful", "broke"]})]


@pytest.fixture()
def saved(tmp_path):
    sur = HypothesisClassifier(_hyps(), "offline").fit(POS + NEG, ["pos"] * 24 + ["neg"] * 24)
    path = sur.save(tmp_path / "surrogate.json")
    rows = [{"text": t, "gold": "pos"} for t in POS[:6]] + \
           [{"text": t, "gold": "neg"} for t in NEG[:6]]
    data = tmp_path / "new.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path, path, data


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_load_surrogate_predicts_labels_and_probabilities(saved):
    _, path, _ = saved
    sur = wordlens.load_surrogate(path)
    assert list(sur.predict(["I love it", "it broke"])) == ["pos", "neg"]
    proba = sur.predict_proba(["I love it"])
    assert proba.shape == (1, 2) and proba[0, 1] > 0.5  # columns follow sur.classes_


def test_predict_cli_writes_one_row_per_text_and_reports_accuracy(capsys, saved):
    d, path, data = saved
    out = d / "preds.jsonl"
    code, stdout, err = run(capsys, "predict", path, data, "--out", out, "--label-field",
                            "gold")
    assert code == 0, err
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 12
    assert rows[0]["prediction"] == "pos" and rows[-1]["prediction"] == "neg"
    assert 0.5 < rows[0]["probability"] <= 1
    assert set(rows[0]["judgments"]) == {h.text for h in _hyps()}
    assert rows[0]["judgments"]["uses words such as 'great', 'love'"] == 1.0
    assert all(r["correct"] for r in rows)
    assert "accuracy on 'gold': 1.000 (12 of 12)" in stdout


def _bad_surrogates(d, path):
    good = json.loads(path.read_text())
    (d / "notjson.json").write_text("{nope")
    (d / "schema.json").write_text(json.dumps({"schema": "other"}))
    broken = dict(good, coef=[[1.0, 2.0, 3.0]])
    (d / "damaged.json").write_text(json.dumps(broken))
    return good


@pytest.mark.parametrize("case, message", [
    ("missing-surrogate", "cannot read a saved surrogate"),
    ("notjson", "cannot read a saved surrogate"),
    ("schema", "not a saved surrogate"),
    ("damaged", "damaged saved surrogate"),
    ("out-is-input", "refusing to overwrite it"),
    ("unknown-label", "'gold' is 'maybe', not a class of the surrogate"),
    ("missing-label", "missing field 'gold'"),
    ("blank-text", "have a blank text"),
    ("malformed-line", ":2: malformed JSON"),
    ("missing-data", "no such file or directory"),
])
def test_predict_cli_bad_inputs_are_one_line_errors(capsys, saved, case, message):
    d, path, data = saved
    _bad_surrogates(d, path)
    sur, new, out = path, data, d / "preds.jsonl"
    args = ["--label-field", "gold"]
    if case == "missing-surrogate":
        sur = d / "none.json"
    elif case in ("notjson", "schema", "damaged"):
        sur = d / f"{case}.json"
    elif case == "out-is-input":
        out = data
    elif case == "missing-data":
        new = d / "none.jsonl"
    else:
        new = d / "bad.jsonl"
        lines = {"unknown-label": ['{"text": "ok", "gold": "pos"}',
                                   '{"text": "hm", "gold": "maybe"}'],
                 "missing-label": ['{"text": "ok", "gold": "pos"}', '{"text": "hm"}'],
                 "blank-text": ['{"text": "ok", "gold": "pos"}', '{"text": " ", "gold": "neg"}'],
                 "malformed-line": ['{"text": "ok", "gold": "pos"}', '{"text": ']}[case]
        new.write_text("\n".join(lines) + "\n")
    before = data.read_text()
    code, _, err = run(capsys, "predict", sur, new, "--out", out, *args)
    assert code == 2, err
    assert err.startswith("wordlens: error:") and err.count("\n") == 1 and message in err
    assert not (d / "preds.jsonl").exists()
    assert data.read_text() == before


def test_predict_cli_with_integer_labels_read_from_csv(capsys, tmp_path):
    sur = HypothesisClassifier(_hyps(), "offline").fit(POS + NEG, [1] * 24 + [0] * 24)
    path = sur.save(tmp_path / "surrogate.json")
    data = tmp_path / "new.csv"
    data.write_text("text,y\nlove it,1\nit broke,0\nawful,1\n")
    out = tmp_path / "preds.jsonl"
    code, stdout, err = run(capsys, "predict", path, data, "--out", out, "--label-field", "y")
    assert code == 0, err
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["prediction"] for r in rows] == [1, 0, 0]
    assert [r["correct"] for r in rows] == [True, True, False]
    assert "accuracy on 'y': 0.667 (2 of 3)" in stdout
