import numpy as np
import pytest

import wordlens
from wordlens.controls import FLAG, PLACEBOS, negation, run_controls
from wordlens.diff.report import render_html
from wordlens.judges.base import Judge

A = [f"I ate a banana number {i} today." if i % 10 < 6 else f"A plain day, number {i}."
     for i in range(120)]
B = [f"I ate an apple number {i} today." if i % 10 < 1 else f"A plain day, number {i}!"
     for i in range(120)]


class RuleJudge(Judge):
    """Reads the statement: bananas, placebos and negations are judged by rule; ``lean`` is
    added to P(yes) of every statement on texts ending in '!' (corpus B's), as a biased
    small model does."""

    controls_by_default = True

    def __init__(self, lean: float = 0.0):
        super().__init__()
        self.lean = lean

    def _p(self, h: str, t: str) -> float:
        if h.startswith("it is not true that the text "):
            return 1.0 - self._p(h[len("it is not true that the text "):], t)
        if h == "is calm":  # a small real difference: 0.6 on A texts, 0.5 on B texts
            return 0.5 if t.endswith("!") else 0.6
        truth = {"mentions bananas": "banana" in t, PLACEBOS[0][0]: True,
                 PLACEBOS[1][0]: False}.get(h, False)
        return 0.9 if truth else 0.1

    def judge_matrix(self, hypotheses, texts):
        rng = np.random.default_rng(len(texts) + len(hypotheses))
        m = np.array([[self._p(h.text, t) + self.lean * t.endswith("!") for t in texts]
                      for h in hypotheses])
        return np.clip(m + rng.normal(0, 0.03, m.shape), 0, 1)


def run(lean, **kw):
    return wordlens.diff(A, B, judge=RuleJudge(lean), hypotheses=["mentions bananas",
                                                                  "is calm"],
                         adaptive=False, seed=1, **kw)


def test_a_judge_that_reads_the_statement_passes_its_controls():
    r = run(0.0)
    c = r.judge_controls
    assert c is not None and c["bias_bound"] is None and not c["biased"]
    kinds = [x["kind"] for x in c["controls"]]
    assert kinds == ["placebo_every_text", "placebo_no_text", "role_swap"]
    assert c["controls"][2]["of"] == "mentions bananas"  # the top finding
    assert all(abs(x["validity"]) < 0.03 for x in c["controls"])
    assert not any(h.flags for h in r.hypotheses)


def test_a_leaning_judge_is_reported_and_small_findings_are_flagged():
    r = run(0.08)
    c = r.judge_controls
    assert len(c["biased"]) == 3  # every control sees the lean towards B
    assert all(x["validity"] == pytest.approx(-0.08, abs=0.03) for x in c["controls"])
    bound = c["bias_bound"]
    assert 0.08 < bound < 0.15
    rows = {h.hypothesis: h for h in r.hypotheses}
    big, small = rows["mentions bananas"], rows["is calm"]  # true validity 0.54 and 0.10
    assert big.significant and abs(big.validity) > bound and not big.flags
    assert small.significant and abs(small.validity) <= bound and small.flags == [FLAG]
    assert c["flagged"] == ["is calm"]
    assert any("biased" in n for n in r.notes)


def test_controls_are_not_in_the_false_discovery_family():
    with_c, without = run(0.08), run(0.08, judge_controls=False)
    assert without.judge_controls is None
    assert [(h.hypothesis, h.q_value) for h in with_c.hypotheses] == [
        (h.hypothesis, h.q_value) for h in without.hypotheses]
    assert len(with_c.hypotheses) == 2


def test_flags_and_controls_survive_the_json_and_reach_the_report(tmp_path):
    r = run(0.08)
    back = wordlens.DiffResult.load(r.save(tmp_path / "r.json"))
    assert back.judge_controls == r.judge_controls
    assert [h.flags for h in back.hypotheses] == [h.flags for h in r.hypotheses]
    page = render_html(back)
    assert "Judge controls" in page and f"({FLAG})" in page and "*?" in page


def test_old_results_without_controls_still_load(tmp_path):
    import json

    data = run(0.0, judge_controls=False).to_dict()
    del data["judge_controls"]
    for h in data["hypotheses"]:
        del h["flags"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = wordlens.DiffResult.load(tmp_path / "old.json")
    assert old.judge_controls is None and old.hypotheses[0].flags == []
    assert "Judge controls" not in render_html(old)


def test_role_swap_is_judged_on_the_texts_the_finding_was_judged_on():
    seen = []

    class Spy(RuleJudge):
        def judge_matrix(self, hypotheses, texts):
            seen.append(([h.text for h in hypotheses], len(texts)))
            return super().judge_matrix(hypotheses, texts)

    ja, jb = np.full(7, 0.9), np.full(5, 0.1)
    c = run_controls(Spy(), A[:30], B[:30], swap=[("mentions bananas", ja, jb)])
    assert ([negation("mentions bananas")], 7) in seen and ([negation("mentions bananas")],
                                                           5) in seen
    assert c.controls[-1].n_a == 7 and c.controls[-1].n_b == 5
