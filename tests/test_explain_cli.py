"""`wordlens explain` end to end: files in, table + definitions + JSON out, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wordlens.cli.main import main
from wordlens.explain import HypothesisClassifier

from .conftest import read_jsonl


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def files(datasets, tmp_path_factory):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    folder = datasets / "classify_amazon_spurious"
    rows = read_jsonl(folder / "train.jsonl", field=None)
    test = read_jsonl(folder / "test.jsonl", field=None)
    clf = make_pipeline(TfidfVectorizer(min_df=2), LogisticRegression(C=10, max_iter=1000))
    clf.fit([r["text"] for r in rows[:1200]], [r["label"] for r in rows[:1200]])
    d = tmp_path_factory.mktemp("explain_cli")
    held = rows[1200:1500]
    score = clf.predict_proba([r["text"] for r in held])[:, 1]
    preds = _write(d / "preds.jsonl", [{"review": r["text"], "score": round(float(s), 4),
                                        "gold": r["label"]} for r, s in zip(held, score)])
    check = _write(d / "check.jsonl", [{"review": r["text"], "gold": r["label"]}
                                       for r in test[:300]])
    new = test[300:500]
    new_pred = clf.predict([r["text"] for r in new])
    unl = _write(d / "new.jsonl", [{"review": r["text"], "score": int(p)}
                                   for r, p in zip(new, new_pred)])
    return d, preds, check, unl


def test_explain_cli_writes_json_flags_and_definitions(capsys, files, encoder):
    d, preds, check, unl = files
    out, model = d / "explain.json", d / "surrogate.json"
    code, stdout, err = run(capsys, "explain", preds, "--text-field", "review",
                            "--prediction-field", "score", "--label-field", "gold",
                            "--check-data", check, "--unlabeled", unl, "--out", out,
                            "--save-surrogate", model, "--max-hypotheses", "3")
    assert code == 0, err
    assert "% explained" in stdout and "definitions:" in stdout
    assert "baseline accuracy: accuracy of always predicting the majority gold class" in stdout
    assert "flag (check-data)" in stdout and "verified" in stdout
    assert "unlabeled: the surrogate disagrees with the classifier on" in stdout
    assert "the curve flattens at" in stdout and "sparse autoencoder:" in stdout
    data = json.loads(out.read_text())
    assert data["schema"] == "wordlens.explain/1"
    assert [c["n_hypotheses"] for c in data["explanations"][0]["curve"]] == [1, 2, 3]
    assert data["unlabeled"]["n_texts"] == 200
    ex = data["explanations"][0]
    assert 1 <= ex["flattens_at"] <= 3 and ex["sae"]["n_kept"] == sum(
        ex["sae"]["kept_by_name"].values())
    sur = HypothesisClassifier.load(model)  # pruned: up to where the curve flattens
    assert len(sur.hypotheses_) == ex["flattens_at"] and len(ex["hypotheses"]) == 3
    assert [h["in_surrogate"] for h in ex["hypotheses"]] == [
        i < ex["flattens_at"] for i in range(3)]
    texts = [json.loads(x)["review"] for x in preds.read_text().splitlines()[:20]]
    assert set(np.unique(sur.predict(texts))) <= {0, 1}


@pytest.mark.parametrize("args, message", [
    (["--prediction-field", "nope"], "missing field 'nope'"),
    (["--prediction-field", "score", "--check-data", "x.jsonl"], "--check-data needs "
                                                                 "--label-field"),
    (["--prediction-field", "score", "--selection", "magic"], "unknown method 'magic'"),
])
def test_explain_cli_errors_are_one_line(capsys, files, args, message):
    _, preds, _, _ = files
    code, _, err = run(capsys, "explain", preds, "--text-field", "review", *args)
    assert code == 2, err
    assert message in err and err.startswith("wordlens: error:") and err.count("\n") == 1
