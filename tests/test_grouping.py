import numpy as np

from wordlens.diff.grouping import group_findings, members_of
from wordlens.hypothesis import Hypothesis
from wordlens.result import HypothesisResult
from wordlens.validation import Verification


def _row(text, validity, rank):
    return HypothesisResult(rank=rank, hypothesis=text, direction="A" if validity > 0 else "B",
                            statement="", source="user", share_a=0, share_b=0,
                            validity=validity, ci_low=validity - 0.1, ci_high=validity + 0.1,
                            p_value=0.01, q_value=0.02, auc=0.6, significant=True, n_a=40,
                            n_b=40, test="t")


def test_correlated_hypotheses_are_listed_under_the_best_of_their_group():
    rng = np.random.default_rng(0)
    base_a = (rng.random(40) < 0.8).astype(float)
    base_b = (rng.random(40) < 0.2).astype(float)
    other_a = (rng.random(40) < 0.6).astype(float)
    other_b = (rng.random(40) < 0.3).astype(float)
    hyps = [Hypothesis("number"), Hypothesis("caps"), Hypothesis("no caps"), Hypothesis("topic")]
    ver = Verification(hyps, [base_a, base_a.copy(), 1 - base_a, other_a],
                       [base_b, base_b.copy(), 1 - base_b, other_b], [False] * 4, 0, 0, 4)
    rows = [_row("number", 0.6, 1), _row("caps", 0.55, 2), _row("no caps", -0.55, 3),
            _row("topic", 0.3, 4)]
    out = group_findings(rows, ver)
    assert [r.hypothesis for r in out] == ["number", "topic", "caps", "no caps"]
    assert [r.rank for r in out] == [1, 2, 3, 4]
    assert [r.group for r in out] == [1, 2, 1, 1]
    assert out[0].group_correlation is None and out[2].group_correlation > 0.99
    # the mirrored B-side hypothesis is the same finding: correlation signed by direction
    assert out[3].group_correlation > 0.99
    assert [m.hypothesis for m in members_of(out, out[0])] == ["caps", "no caps"]
    assert members_of(out, out[1]) == []


def test_a_genre_leads_its_surface_traces():
    rng = np.random.default_rng(1)
    base_a = (rng.random(40) < 0.8).astype(float)
    base_b = (rng.random(40) < 0.2).astype(float)
    hyps = [Hypothesis("uses ALL-CAPS words for emphasis",
                       form={"kind": "property", "name": "all_caps"}),
            Hypothesis("mentions a number (contains a digit)",
                       form={"kind": "property", "name": "number"}),
            Hypothesis("is an advertisement promoting a product, offer or service")]
    ver = Verification(hyps, [base_a, base_a.copy(), base_a.copy()],
                       [base_b, base_b.copy(), base_b.copy()], [False] * 3, 0, 0, 3)
    rows = [_row(h.text, v, r) for h, v, r in zip(hyps, (0.62, 0.5, 0.37), (1, 2, 3))]
    for row, h in zip(rows, hyps):
        row.form = h.form
    before = {r.hypothesis: (r.validity, r.q_value) for r in rows}
    out = group_findings(rows, ver)
    assert out[0].hypothesis.startswith("is an advertisement") and out[0].rank == 1
    assert [r.group for r in out] == [1, 1, 1] and out[0].group_correlation is None
    assert [m.hypothesis for m in members_of(out, out[0])] == [hyps[0].text, hyps[1].text]
    assert {r.hypothesis: (r.validity, r.q_value) for r in out} == before
    # a non-significant genre does not lead a significant trace
    rows = [_row(h.text, v, r) for h, v, r in zip(hyps, (0.62, 0.5, 0.37), (1, 2, 3))]
    for row, h in zip(rows, hyps):
        row.form = h.form
    rows[2].significant = False
    assert group_findings(rows, ver)[0].hypothesis.startswith("uses ALL-CAPS")
    # nor does one that states less than half of the difference
    rows = [_row(h.text, v, r) for h, v, r in zip(hyps, (0.62, 0.5, 0.30), (1, 2, 3))]
    for row, h in zip(rows, hyps):
        row.form = h.form
    assert group_findings(rows, ver)[0].hypothesis.startswith("uses ALL-CAPS")


def test_implies_reads_property_families():
    from wordlens.diff.grouping import implies

    strong = {"kind": "property", "name": "strong_positive"}
    pos = {"kind": "property", "name": "positive"}
    assert implies(strong, pos) and not implies(pos, strong)
    assert not implies({"kind": "property", "name": "strong_negative"}, pos)
    long300 = {"kind": "property", "name": "longer_than_300", "min_words": 300}
    long40 = {"kind": "property", "name": "longer_than_40", "min_words": 40}
    assert implies(long300, long40) and not implies(long40, long300)
    short8 = {"kind": "property", "name": "shorter_than_8", "max_words": 8}
    short20 = {"kind": "property", "name": "shorter_than_20", "max_words": 20}
    assert implies(short8, short20) and not implies(short20, short8)
    assert not implies(long300, short20) and not implies(strong, strong)
    assert not implies(None, pos) and not implies({"kind": "keywords"}, pos)


def test_the_broader_of_two_nested_properties_leads_them():
    # uncorrelated judgments: only the definition ("strongly positive" implies "positive")
    # makes them one finding, and the broader statement leads it
    rng = np.random.default_rng(2)
    hyps = [Hypothesis("is strongly positive, enthusiastic",
                       form={"kind": "property", "name": "strong_positive"}),
            Hypothesis("expresses positive sentiment such as praise, satisfaction or enjoyment",
                       form={"kind": "property", "name": "positive"}),
            Hypothesis("is a film review")]
    ja = [(rng.random(40) < p).astype(float) for p in (0.5, 0.8, 0.7)]
    jb = [(rng.random(40) < p).astype(float) for p in (0.1, 0.5, 0.2)]
    ver = Verification(hyps, ja, jb, [False] * 3, 0, 0, 3)

    def rows(validities):
        out = [_row(h.text, v, r) for r, (h, v) in enumerate(zip(hyps, validities), start=1)]
        for row, h in zip(out, hyps):
            row.form = h.form
        return out

    out = group_findings(rows((0.4, 0.3, 0.2)), ver)
    assert out[0].hypothesis.startswith("expresses positive") and out[0].group == 1
    assert [m.hypothesis for m in members_of(out, out[0])] == [hyps[0].text]
    assert out[1].hypothesis == "is a film review"
    # opposite sides are not one finding by definition; a narrow one stating less than half
    # of the difference keeps the lead
    assert group_findings(rows((0.4, -0.3, 0.2)), ver)[0].hypothesis.startswith("is strongly")
    assert group_findings(rows((0.4, 0.15, 0.2)), ver)[0].hypothesis.startswith("is strongly")
