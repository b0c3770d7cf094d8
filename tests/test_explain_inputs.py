"""Inputs of explain: labels, scores, probability matrices, models, callables and files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wordlens.errors import InputError
from wordlens.explain import from_model, load_inputs, make_inputs

TEXTS = ["good film", "bad film", "great", "awful", "fine"]


def test_scores_are_thresholded_and_kept():
    inp = make_inputs(TEXTS, [0.9, 0.2, 0.7, 0.1, 0.4], [1, 0, 1, 0, 1])
    assert inp.predictions.tolist() == [1, 0, 1, 0, 0]
    assert inp.scores is not None and inp.positive == 1 and inp.is_binary


def test_probability_matrix_uses_gold_class_names():
    proba = [[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.5, 0.5]]
    inp = make_inputs(TEXTS, proba, ["neg", "pos", "pos", "neg", "pos"])
    assert inp.classes == ["neg", "pos"] and inp.positive == "pos"
    assert inp.predictions.tolist() == ["pos", "neg", "pos", "neg", "neg"]
    assert inp.scores.tolist() == [0.9, 0.2, 0.7, 0.4, 0.5]


def test_multiclass_one_vs_rest_is_binary():
    inp = make_inputs(TEXTS, ["a", "b", "c", "a", "b"], ["a", "b", "b", "a", "c"])
    assert not inp.is_binary and inp.classes == ["a", "b", "c"]
    b = inp.one_vs_rest("b")
    assert b.predictions.tolist() == [0, 1, 0, 0, 1] and b.labels.tolist() == [0, 1, 1, 0, 0]


def test_sklearn_model_and_callable():
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    y = [1, 0, 1, 0, 1]
    clf = make_pipeline(CountVectorizer(), LogisticRegression()).fit(TEXTS, y)
    inp = from_model(TEXTS, clf, y)
    assert inp.scores is not None and inp.predictions.tolist() == clf.predict(TEXTS).tolist()
    assert type(inp.positive) is int
    inp2 = from_model(TEXTS, lambda ts: [int("g" in t) for t in ts])
    assert inp2.predictions.tolist() == [1, 0, 1, 0, 0] and inp2.source == "callable"


def test_mismatched_lengths_are_input_errors():
    with pytest.raises(InputError, match="4 predictions for 5 texts"):
        make_inputs(TEXTS, [1, 0, 1, 0])
    with pytest.raises(InputError, match="expected an object with predict"):
        from_model(TEXTS, object())


def test_file_fields_and_one_line_errors(tmp_path):
    p = tmp_path / "p.jsonl"
    p.write_text("".join(json.dumps({"t": t, "pred": "1" if i % 2 else "0", "y": i % 2})
                         + "\n" for i, t in enumerate(TEXTS)))
    inp = load_inputs(p, text_field="t", prediction_field="pred", label_field="y")
    assert inp.predictions.tolist() == [0, 1, 0, 1, 0] and inp.labels.tolist() == [0, 1, 0, 1, 0]
    with pytest.raises(InputError, match=r"p.jsonl:1: missing field 'gold'"):
        load_inputs(p, text_field="t", prediction_field="pred", label_field="gold")
    csv = tmp_path / "p.csv"
    csv.write_text("text,prediction\nok,0.8\nno,0.1\n")
    inp = load_inputs(csv)
    assert inp.predictions.tolist() == [1, 0] and np.allclose(inp.scores, [0.8, 0.1])


def test_scores_outside_unit_interval_are_an_error():
    with pytest.raises(InputError, match=r"scores must lie in \[0, 1\], but text 1 has 1.7"):
        make_inputs(["a", "b", "c"], [1.7, 0.2, 0.5])


def test_mixed_label_kinds_are_an_error():
    with pytest.raises(InputError, match="mix kinds of values: number 0 .* text 'pos'"):
        make_inputs(["a", "b", "c"], [0, 0.0, "pos"])
    with pytest.raises(InputError, match="gold labels mix"):
        make_inputs(["a", "b"], [0, 1], labels=[1, "neg"])


def test_one_field_as_both_prediction_and_label_stays_aligned(tmp_path):
    from wordlens.explain.inputs import load_inputs

    path = tmp_path / "gold.jsonl"
    labels = ["a", "b", "b", "a", "b"]
    path.write_text("".join(f'{{"text": "t{i}", "label": "{y}"}}\n'
                            for i, y in enumerate(labels)))
    inp = load_inputs(path, prediction_field="label", label_field="label")
    assert list(inp.predictions) == labels and list(inp.labels) == labels
