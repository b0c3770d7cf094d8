"""Amortized verification of pairs: teacher labels drawn by pair, a student on every pair,
prediction-powered statistics of the mean paired difference."""

import json

import numpy as np
import pytest

from wordlens.corpus import Corpus
from wordlens.diff import diff_split
from wordlens.pairs import PairedSplit, Pairs
from wordlens.validation import AmortizedPlan

from .conftest import read_jsonl
from .test_paired import cli, pair_rows, write
from .test_validation_amortized import EXAMPLES, HYPOTHESES, KeywordTeacher, NoisyCopy


def paired_split(a, b, seed=0):
    ids = [str(i) for i in range(len(a))]
    return PairedSplit.draw_pairs(Pairs(list(a), list(b), ids, Corpus("A", a),
                                        Corpus("B", b)), seed=seed)


def reviews():
    return read_jsonl(EXAMPLES / "negative.jsonl") + read_jsonl(EXAMPLES / "positive.jsonl")


def run(split, budget, student, **kw):
    return diff_split(split, judge=KeywordTeacher(), hypotheses=HYPOTHESES, verify="amortized",
                      plan=AmortizedPlan(budget=budget, student=student), **kw)


def test_a_within_pair_effect_is_found_with_a_share_of_the_teacher():
    # pair i: one review, with "The battery died." added to its A text in every other pair
    texts = reviews()[:400]
    a = [t + " The battery died." if i % 2 else t for i, t in enumerate(texts)]
    res = run(paired_split(a, texts), 400, NoisyCopy())
    v = res.verification
    assert v["method"] == "amortized" and v["unit"] == "pair"
    assert v["teacher_calls"] <= 400 < v["teacher_calls_if_exhaustive"] == 8 * 2 * 200
    top = res.hypotheses[0]
    assert top.hypothesis == "mentions the battery" and top.direction == "A"
    assert top.significant and top.ci_low < 0.45 < top.ci_high
    assert top.test.startswith("prediction-powered inference on per-pair differences")
    for h in res.hypotheses:  # a pair is one unit: both of its texts labelled, or neither
        d = h.amortized
        assert d["teacher_labels_a"] == d["teacher_labels_b"] == d["teacher_pairs"]
        assert d["unit"] == "pair" and d["ppi_ci"] == [h.ci_low, h.ci_high]
    assert sum(h.amortized["teacher_labels"] for h in res.hypotheses) == v["teacher_calls"]
    assert res.settings["paired"]["verification"] == "amortized"
    assert "prediction-powered" in res.settings["paired"]["tests"]
    assert [h.hypothesis for h in res.significant] == ["mentions the battery"]


def test_null_pairs_and_a_side_cheating_student_give_no_finding():
    from .test_validation_amortized import SideCheater

    texts = list(np.random.default_rng(7).permutation(reviews()))
    a, b = texts[:200], texts[200:400]
    for student in (NoisyCopy(), SideCheater(a)):
        res = run(paired_split(a, b), 300, student)
        assert res.verification["unit"] == "pair" and res.significant == []
    for h in res.hypotheses:  # the cheater alone would call every hypothesis certain
        assert h.amortized["student_only"]["validity"] == pytest.approx(1.0)


def test_labelled_pairs_are_a_seeded_uniform_sample_shared_by_the_hypotheses():
    from wordlens.hypothesis import as_hypotheses
    from wordlens.validation.paired_amortized import verify_amortized_paired

    texts = reviews()[:200]
    a, b = texts[:100], texts[100:]
    teacher = KeywordTeacher()
    ver = verify_amortized_paired(as_hypotheses(HYPOTHESES[:4]), a, b, teacher,
                                  train_texts=[], plan=AmortizedPlan(budget=160,
                                                                     student=NoisyCopy()))
    assert ver.extra["teacher_calls"] == teacher.judgments_made <= 160
    for i, h in enumerate(ver.hypotheses):  # filled = teacher on the labelled pairs
        want = teacher.judge([h], a)[0]
        n = ver.details[i]["teacher_pairs"]
        assert n >= 4 and np.sum(ver.judgments_a[i] == want) >= n


def test_a_budget_covering_the_run_verifies_pairs_exhaustively():
    texts = reviews()[:80]
    res = run(paired_split(texts[:40], texts[40:]), 10_000, NoisyCopy())
    assert res.verification["method"] == "exhaustive"
    assert res.verification["requested"] == "amortized"
    assert all(h.test.startswith(("McNemar", "constant")) for h in res.hypotheses)


def test_cli_paired_amortized_says_so(tmp_path):
    f = write(tmp_path / "pairs.jsonl", pair_rows(200))
    out = tmp_path / "r.json"
    code, stdout, stderr = cli("diff", f, "--paired", "model_a", "model_b", "--pair-id", "pid",
                               "--proposer", "properties", "--judge", "exact", "--verify",
                               "amortized", "--teacher-budget", "60", "--no-cache", "-o", out)
    assert code == 0, stderr
    assert "Paired analysis: 100 held-out pairs" in stdout
    assert "amortized: the teacher judged" in stdout
    r = json.loads(out.read_text())
    assert r["settings"]["paired"]["verification"] == "amortized"
    assert r["verification"]["unit"] == "pair" and r["verification"]["teacher_calls"] <= 60
    assert "prediction-powered" in r["definitions"]["ci_low/ci_high"]


def complaint_pairs(n=160, seed=3):
    """B adds a complaint to 60% of the pairs; a compliment is in both texts of 30%."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        a = b = f"A note on item {i} and the {rng.choice(['river', 'garden', 'market'])}."
        if rng.uniform() < 0.6:
            b += " The product was terrible, a real problem."
        if rng.uniform() < 0.3:
            a, b = a + " What a great day!", b + " What a great day!"
        rows.append({"pid": f"p{i}", "model_a": a, "model_b": b})
    return rows


def test_cli_paired_amortized_with_an_llm_teacher(tmp_path):
    from .llm_server import ScriptedLLMServer

    f = write(tmp_path / "pairs.jsonl", complaint_pairs())
    (tmp_path / "h.txt").write_text("complains about a problem\nexpresses a positive opinion\n"
                                    "is about sports\nis about technology\n")
    out = tmp_path / "r.json"
    with ScriptedLLMServer() as srv:
        code, stdout, stderr = cli("diff", f, "--paired", "model_a", "model_b", "--pair-id",
                                   "pid", "--hypotheses", tmp_path / "h.txt", "--model",
                                   "openai-compatible:scripted", "--base-url", srv.url,
                                   "--verify", "amortized", "--no-cache", "-o", out)
    assert code == 0, stderr
    assert "Paired analysis: 80 held-out pairs" in stdout and "amortized" in stdout
    r = json.loads(out.read_text())
    v = r["verification"]
    assert r["settings"]["paired"]["verification"] == "amortized" and v["unit"] == "pair"
    assert 0 < v["teacher_calls"] < v["teacher_calls_if_exhaustive"] == 4 * 2 * 80
    rows = {h["hypothesis"]: h for h in r["hypotheses"]}
    for h in rows.values():  # paired prediction-powered statistics, whole pairs labelled
        assert h["test"].startswith("prediction-powered inference on per-pair differences")
        assert h["amortized"]["teacher_labels_a"] == h["amortized"]["teacher_labels_b"]
    top = rows["complains about a problem"]
    assert top["significant"] and top["direction"] == "B"
    assert top["ci_low"] < -0.6 < top["ci_high"]  # the true mean paired difference
    # a compliment in both texts of a pair, or in neither: no within-pair difference
    assert not rows["expresses a positive opinion"]["significant"]
