"""Amortized verification inside `diff`: teacher budget, student reuse, PPI statistics."""

import json
import re
import zlib

import numpy as np
import pytest

import wordlens
from wordlens.cli.main import main
from wordlens.judges import OfflineJudge
from wordlens.judges.base import Judge
from wordlens.validation import AmortizedPlan, verify_amortized
from wordlens.validation.crossfit import RIDGE_GRID
from wordlens.validation.students import teacher_key

from .conftest import ROOT, read_jsonl

EXAMPLES = ROOT / "examples" / "amazon_reviews"
HYPOTHESES = ["mentions the price or money", "says something broke or stopped working",
              "mentions the battery", "mentions the sound quality",
              "recommends buying it", "complains about returning it",
              "mentions the screen or picture", "mentions the software or computer"]


class KeywordTeacher(Judge):
    """A deterministic, text-dependent stand-in for an expensive judge: a hypothesis holds
    when the text contains one of its content words (a word stem of 5+ letters)."""

    name = "keyword teacher (test)"
    expensive = True

    def judge_matrix(self, hypotheses, texts):
        out = np.zeros((len(hypotheses), len(texts)))
        for i, h in enumerate(hypotheses):
            stems = [w[:5] for w in re.findall(r"[a-z]+", h.text.lower()) if len(w) >= 5]
            for j, t in enumerate(texts):
                out[i, j] = float(any(s in t.lower() for s in stems))
        return out


class SideCheater(Judge):
    """A student that is wrong in the worst way: yes for every text of one corpus, no for
    the other (it knows which is which)."""

    name = "side cheater"

    def __init__(self, yes_texts):
        super().__init__()
        self.yes = set(yes_texts)

    def judge_matrix(self, hypotheses, texts):
        row = np.array([1.0 if t in self.yes else 0.0 for t in texts])
        return np.tile(row, (len(hypotheses), 1))


@pytest.fixture(scope="module")
def null_pair():
    """Random halves of one example corpus (positive and negative reviews mixed)."""
    texts = read_jsonl(EXAMPLES / "positive.jsonl") + read_jsonl(EXAMPLES / "negative.jsonl")
    perm = np.random.default_rng(7).permutation(len(texts))
    return [texts[i] for i in perm[:160]], [texts[i] for i in perm[160:320]]


def run(a, b, tmp_path, method="uniform", teacher_budget=None, student=None):
    """The diff of ``a`` and ``b`` verified by the amortized ``method`` (the uniform one by
    default here: most of these tests are about it; the default method is the active one)."""
    plan = AmortizedPlan(budget=teacher_budget, student=student, cache_dir=tmp_path / "cache",
                         method=method)
    return wordlens.diff(a, b, judge=KeywordTeacher(), hypotheses=HYPOTHESES, seed=0,
                         verify="amortized", plan=plan)


def test_null_pair_has_no_significant_hypothesis_and_a_second_run_pays_less(
        null_pair, tmp_path, encoder):
    res = run(*null_pair, tmp_path, teacher_budget=300)
    v = res.verification
    assert v["method"] == "amortized" and v["student"]["source"] == "distilled"
    assert v["teacher_calls"] <= 300 and v["teacher_calls_if_exhaustive"] == 8 * 160
    assert v["teacher_calls_training"] > 0
    assert res.significant == []
    assert (tmp_path / "cache" / "students" / teacher_key(KeywordTeacher()) /
            "student.json").exists()
    again = run(*null_pair, tmp_path, teacher_budget=300)
    w = again.verification
    assert w["student"]["source"] == "cache" and w["teacher_calls_training"] == 0
    assert w["teacher_calls"] < v["teacher_calls"]
    assert again.significant == []


@pytest.mark.parametrize("method", ["uniform", "auto"])
def test_a_student_that_separates_the_corpora_cannot_make_a_finding(null_pair, tmp_path,
                                                                     method):
    a, b = null_pair
    res = run(a, b, tmp_path, method, teacher_budget=250, student=SideCheater(a))
    assert res.verification["amortized_method"] == (
        "uniform" if method == "uniform" else "active")
    assert res.significant == []
    for h in res.hypotheses:
        if method == "uniform":  # the given student alone would claim a perfect split
            assert h.amortized["student_only"]["validity"] == pytest.approx(1.0)
            assert h.amortized["student_only"]["p_value"] < 1e-6
            assert h.amortized["agreement"] < 0.9
        else:  # the active method's student is fitted on the teacher's labels, the given
            # one only a feature of it: it learns the cheater says nothing about them
            assert abs(h.amortized["student_only"]["validity"]) < 0.2


class NoisyCopy(KeywordTeacher):
    """A cheap student that agrees with the teacher except on ~3 % of texts."""

    expensive = False

    def judge_matrix(self, hypotheses, texts):
        out = super().judge_matrix(hypotheses, texts)
        flip = np.array([zlib.crc32(t.encode()) % 100 < 3 for t in texts])
        return np.where(flip[None], 1 - out, out) * 0.9 + 0.05


def test_real_difference_is_found_with_a_small_share_of_the_calls(tmp_path):
    # 250 validation texts a side: 15 % of the calls leaves about 12 labels a side per
    # hypothesis (at 10 %, 8 a side, the t reference keeps this 0.5 effect at q = 0.052)
    neg = read_jsonl(EXAMPLES / "negative.jsonl")
    a = [t + " The battery died." if i % 2 else t for i, t in enumerate(neg)]
    b = read_jsonl(EXAMPLES / "positive.jsonl")
    res = wordlens.diff(a, b, judge=KeywordTeacher(), hypotheses=HYPOTHESES, seed=0,
                        verify="amortized", plan=AmortizedPlan(
                            budget=300, student=NoisyCopy(), method="uniform"))
    v = res.verification
    assert v["teacher_calls"] <= 300 == v["teacher_calls_if_exhaustive"] * 15 // 100
    assert v["teacher_calls_training"] == 0 and v["student"]["source"] == "given"
    top = res.hypotheses[0]
    assert top.hypothesis == "mentions the battery" and top.direction == "A"
    assert top.significant and top.ci_low < 0.5 < top.ci_high
    d = top.amortized
    assert d["teacher_labels"] == d["teacher_labels_a"] + d["teacher_labels_b"] >= 16
    assert d["ppi_ci"] == [top.ci_low, top.ci_high] and d["agreement"] > 0.9
    # the student makes the interval tighter than the teacher labels alone would
    assert top.ci_high - top.ci_low < d["teacher_only"]["ci_high"] - d["teacher_only"]["ci_low"]
    assert {"validity", "ci_low", "ci_high", "p_value"} <= set(d["student_only"])
    assert sum(h.amortized["teacher_labels"] for h in res.hypotheses) == v["teacher_calls"]
    back = wordlens.DiffResult.load(res.save(tmp_path / "r.json"))
    assert back.hypotheses[0].amortized == top.amortized


def test_later_label_rounds_go_to_the_top_k_contenders():
    neg = read_jsonl(EXAMPLES / "negative.jsonl")
    a = [t + " The battery died." if i % 2 else t for i, t in enumerate(neg)]
    b = read_jsonl(EXAMPLES / "positive.jsonl")
    res = wordlens.diff(a, b, judge=KeywordTeacher(), hypotheses=HYPOTHESES, seed=0,
                        verify="amortized", top_k=2, plan=AmortizedPlan(
                            budget=300, student=NoisyCopy(), method="uniform"))
    labels = {h.hypothesis: h.amortized["teacher_labels"] for h in res.hypotheses}
    first_round = min(labels.values())
    relabelled = {h for h, n in labels.items() if n > first_round}
    # every hypothesis keeps its first-round labels; the rest went to at most top_k of them
    assert 1 <= len(relabelled) <= 2 * 2  # top_k per round, rounds 2 and 3
    assert "mentions the battery" in relabelled
    assert sum(labels.values()) == res.verification["teacher_calls"]


def test_active_method_later_looks_go_to_undecided_hypotheses():
    neg = read_jsonl(EXAMPLES / "negative.jsonl")
    a = [t + " The battery died." if i % 2 else t for i, t in enumerate(neg)]
    b = read_jsonl(EXAMPLES / "positive.jsonl")
    from wordlens.diff import diff_split
    from wordlens.split import Split

    res = diff_split(Split.draw(a, b, seed=0), judge=KeywordTeacher(), hypotheses=HYPOTHESES,
                     verify="amortized", plan=AmortizedPlan(
                         budget=600, student=NoisyCopy(), method="active"))
    assert res.verification["amortized_method"] == "active"
    assert res.verification["teacher_calls_training"] == 0
    d = {h.hypothesis: h.amortized for h in res.hypotheses}
    decided = [k for k, x in d.items() if x["decided_early"]]
    assert res.hypotheses[0].hypothesis == "mentions the battery"
    assert res.hypotheses[0].significant
    assert "mentions the battery" in decided, d  # clear after the first look
    most = max(x["teacher_labels"] for x in d.values())
    assert d["mentions the battery"]["teacher_labels"] < most
    assert sum(x["teacher_labels"] for x in d.values()) == res.verification["teacher_calls"]
    assert all(x["effective_labels"] > 0 for x in d.values())
    chosen = res.verification["student_ridge_c"]["chosen"]  # one C per fold model and look
    assert sum(chosen.values()) == 5 * res.verification["looks"]
    assert {float(c) for c in chosen} <= set(RIDGE_GRID)


class Table(Judge):
    """Judgments looked up by text: row = hypothesis index."""

    def __init__(self, table, expensive=False):
        super().__init__()
        self.table, self.expensive = table, expensive

    def judge_matrix(self, hypotheses, texts):
        rows = [int(h.text[1:]) for h in hypotheses]
        return np.stack([self.table[t][rows] for t in texts], axis=1)


def test_a_side_cheating_student_keeps_the_nominal_false_positive_rate():
    """The active method: a student that says yes to every A text and no to every B text
    on null pairs."""
    from wordlens.hypothesis import Hypothesis

    rng = np.random.default_rng(3)
    hyps = [Hypothesis(f"h{i}") for i in range(10)]
    hits = total = 0
    for run_no in range(30):
        rates = rng.uniform(0.1, 0.5, len(hyps))
        teacher, student = {}, {}
        for side in "ab":
            for j in range(100):
                teacher[f"{side}{j}"] = (rng.uniform(size=len(hyps)) < rates).astype(float)
                student[f"{side}{j}"] = np.full(len(hyps), 1.0 if side == "a" else 0.0)
        ver = verify_amortized(hyps, [f"a{j}" for j in range(100)],
                               [f"b{j}" for j in range(100)], Table(teacher, True),
                               train_texts=[], plan=AmortizedPlan(
                                   budget=300, student=Table(student), seed=run_no,
                                   features="student", method="active"))
        hits += sum(s.p_value < 0.05 for s in ver.stats)
        total += len(ver.stats)
    assert hits / total <= 0.09  # nominal 0.05; 300 tests: 0.09 is 3.2 standard errors


def test_a_budget_covering_the_run_verifies_exhaustively(null_pair, tmp_path):
    res = run(*null_pair, tmp_path, teacher_budget=700, student=OfflineJudge())
    assert res.verification["method"] == "exhaustive"
    assert res.verification["requested"] == "amortized"
    assert any("covers half or more" in n for n in res.notes)
    assert all(h.amortized is None for h in res.hypotheses)


def test_cheap_judges_verify_exhaustively_by_default(null_pair):
    res = wordlens.diff(*null_pair, hypotheses=HYPOTHESES[:3], max_texts=60)
    assert res.verification["method"] == "exhaustive"


def test_older_readers_fields_and_unknown_fields_load(tmp_path):
    res = wordlens.diff(read_jsonl(EXAMPLES / "negative.jsonl")[:40],
                        read_jsonl(EXAMPLES / "positive.jsonl")[:40],
                        hypotheses=HYPOTHESES[:2])
    data = res.to_dict()
    data["hypotheses"][0]["a_later_field"] = 1
    del data["hypotheses"][0]["amortized"]
    (tmp_path / "r.json").write_text(json.dumps(data))
    back = wordlens.DiffResult.load(tmp_path / "r.json")
    assert back.hypotheses[0].amortized is None


@pytest.mark.parametrize("args, message", [
    (["--verify", "sometimes"], "--verify"),
    (["--teacher-budget", "0"], "--teacher-budget"),
])
def test_bad_amortized_options_exit_2_with_one_line(capsys, args, message):
    code = main(["diff", str(EXAMPLES / "positive.jsonl"), str(EXAMPLES / "negative.jsonl"),
                 *args])
    _, err = capsys.readouterr()
    assert code == 2 and message in err and "Traceback" not in err


def test_word_presence_marks_each_length_class_as_word_and_inside_a_word():
    from wordlens.hypothesis import Hypothesis
    from wordlens.validation.crossfit import word_presence

    x = word_presence([Hypothesis("uses the word 'great'")],
                      ["A great day.", "Greatly improved", "the word is here", "nothing"])
    # classes: 4 letters (uses, word), 5-6 (great), 7+ (none); whole word, then substring
    assert x.shape == (1, 4, 6)
    assert x[0, :, 1].tolist() == [1, 0, 0, 0]  # 'great' as a word
    assert x[0, :, 4].tolist() == [1, 1, 0, 0]  # 'great' anywhere
    assert x[0, :, 0].tolist() == [0, 0, 1, 0]  # 'word'
    assert not x[0, :, [2, 5]].any()


def test_the_active_method_with_alpha_spending_stops_decided_hypotheses():
    neg = read_jsonl(EXAMPLES / "negative.jsonl")
    a = [t + " The battery died." if i % 2 else t for i, t in enumerate(neg)]
    b = read_jsonl(EXAMPLES / "positive.jsonl")
    from wordlens.diff import diff_split
    from wordlens.split import Split

    res = diff_split(Split.draw(a, b, seed=0), judge=KeywordTeacher(), hypotheses=HYPOTHESES,
                     verify="amortized", plan=AmortizedPlan(
                         budget=600, student=NoisyCopy(), method="active",
                         alpha_spending=True))
    assert res.verification["alpha_shares"] == [0.5, 0.5]
    top = res.hypotheses[0]
    assert top.hypothesis == "mentions the battery" and top.significant
    assert top.amortized["last_look"] == 1 and top.amortized["decided_early"]


@pytest.mark.parametrize("budget", [40, 47, 100])
def test_the_active_method_never_spends_more_than_its_budget(budget):
    """Small budgets: the per-look floors of draws shrink to fit what is left."""
    from wordlens.hypothesis import Hypothesis

    rng = np.random.default_rng(5)
    hyps = [Hypothesis(f"h{i}") for i in range(4)]
    teacher = {f"{s}{j}": (rng.uniform(size=4) < 0.3).astype(float)
               for s in "ab" for j in range(100)}
    student = {t: np.clip(y * 0.8 + 0.1, 0, 1) for t, y in teacher.items()}
    ver = verify_amortized(hyps, [f"a{j}" for j in range(100)], [f"b{j}" for j in range(100)],
                           Table(teacher, True), train_texts=[], plan=AmortizedPlan(
                               budget=budget, student=Table(student), features="student"))
    assert ver.extra["amortized_method"] == "active"
    assert 16 <= ver.extra["teacher_calls"] <= budget
    assert all(d["teacher_labels_a"] >= 2 and d["teacher_labels_b"] >= 2 for d in ver.details)
