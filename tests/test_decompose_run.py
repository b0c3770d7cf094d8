"""`diff(..., decompose=...)` end to end, with a keyword judge and no model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import wordlens
from wordlens.diff.decompose import DecomposeSpec, Decomposition
from wordlens.diff.decompose.groups import cluster_partition
from wordlens.errors import InputError
from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.proposers.base import Proposer
from wordlens.result import DiffResult

WORDS = ["goal", "recipe", "?", "cheese"]


class KeywordJudge(Judge):
    """A hypothesis holds when its text occurs in the text (exact, no model)."""

    name = "keyword"

    def judge_matrix(self, hypotheses, texts):
        return np.array([[float(h.text in t) for t in texts] for h in hypotheses])


class FixedProposer(Proposer):
    name = "fixed"

    def propose(self, a, b, goal=None, *, seed=0):
        return [Hypothesis(w) for w in WORDS]


def _side(rng, n_sport: int, n_cook: int, q_sport: float, q_cook: float, tag: str):
    rows = []
    for topic, n, q in (("sport", n_sport, q_sport), ("cooking", n_cook, q_cook)):
        word = "goal" if topic == "sport" else "recipe"
        ask = np.zeros(n, bool)
        ask[:round(q * n)] = True
        for i in range(n):
            cheese = " cheese" if rng.random() < 0.3 else ""
            rows.append({"text": f"{tag} {topic} text {i} {word}{cheese}{' ?' if ask[i] else ''}",
                         "topic": topic})
    return pd.DataFrame(rows).sample(frac=1.0, random_state=int(rng.integers(1000)))


def _run(a, b, **kw):
    return wordlens.diff(a, b, hypotheses=WORDS, proposer=FixedProposer(),
                         judge=KeywordJudge(), decompose="field:topic", seed=0, **kw)


@pytest.fixture(scope="module")
def simpson():
    rng = np.random.default_rng(1)
    a = _side(rng, 280, 120, 0.6, 0.2, "a")   # A: 70 % sport, '?' planted in sport only
    b = _side(rng, 120, 280, 0.1, 0.2, "b")
    return _run(a, b)


def test_composition_is_found_and_groups_are_described(simpson):
    dec = simpson.decomposition
    by = {g.name: g for g in dec.groups}
    assert set(by) == {"cooking", "sport"}
    assert by["sport"].significant and by["sport"].difference == pytest.approx(0.4, abs=0.1)
    assert by["sport"].description == "goal" and by["cooking"].description == "recipe"
    assert all(g.within == "diffed" for g in dec.groups)


def test_planted_within_group_effect_is_found_only_where_planted(simpson):
    dec = simpson.decomposition
    names = {g.id: g.name for g in dec.groups}
    sig = {(names[w.group], w.hypothesis, w.direction) for w in dec.significant_within}
    assert sig == {("sport", "?", "A")}


def test_topic_word_is_explained_by_composition_and_planted_one_is_not(simpson):
    rec = {r.hypothesis: r for r in simpson.decomposition.recombined}
    assert "explained_by_composition" in rec["goal"].flags
    assert "explained_by_composition" in rec["recipe"].flags
    q = rec["?"]
    assert q.raw_validity > 0 and q.adjusted_validity > 0.15
    assert "holds_only_in_some_groups" in q.flags
    assert rec["cheese"].flags == []


def test_null_case_has_no_significant_composition_or_within_finding():
    rng = np.random.default_rng(2)
    a = _side(rng, 200, 200, 0.3, 0.3, "a")
    b = _side(rng, 200, 200, 0.3, 0.3, "b")
    dec = _run(a, b).decomposition
    assert not any(g.significant for g in dec.groups)
    assert dec.significant_within == []
    assert all(r.flags == [] for r in dec.recombined)


def test_json_round_trip_and_plain_diff_has_no_section(simpson, tmp_path):
    path = simpson.save(tmp_path / "r.json")
    data = json.loads(path.read_text())
    assert data["decomposition"]["schema"] == "wordlens.decomposition/1"
    back = DiffResult.load(path)
    assert isinstance(back.decomposition, Decomposition)
    assert back.decomposition.to_dict() == simpson.decomposition.to_dict()
    plain = wordlens.diff(["x a"] * 20, ["y b"] * 20, hypotheses=["a"], judge=KeywordJudge())
    assert "decomposition" not in plain.to_dict()


def test_report_has_a_decomposition_section(simpson):
    from wordlens.diff.report import render_html

    page = render_html(simpson)
    assert "<h2>Decomposition</h2>" in page and "explained by composition" in page


def test_bad_specs_and_missing_field_are_input_errors():
    with pytest.raises(InputError, match="expected auto"):
        DecomposeSpec.parse("clusters")
    with pytest.raises(InputError, match="field:topic"):
        wordlens.diff(["x a"] * 20, ["y b"] * 20, hypotheses=["a"], judge=KeywordJudge(),
                      decompose="field:topic")


def test_cli_names_the_missing_field(tmp_path, capsys):
    from wordlens.cli.main import main

    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(
            "".join(json.dumps({"text": f"{name} {i}"}) + "\n" for i in range(30)))
    out = tmp_path / "r.json"
    code = main(["diff", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--decompose",
                 "field:topic", "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and not out.exists()
    assert err.endswith("a.jsonl:1: missing field 'topic'") and len(err.splitlines()) == 1


class _TopicEncoder:
    name = "topic-test"

    def encode(self, texts):
        rng = np.random.default_rng(len(texts))
        x = np.array([[1.0, 0.0] if "sport" in t else [0.0, 1.0] for t in texts])
        x = x + 0.05 * rng.standard_normal(x.shape)
        return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_auto_picks_the_two_topics_by_silhouette():
    texts = [f"sport {i}" for i in range(40)] + [f"cook {i}" for i in range(40)]
    part = cluster_partition(texts[:20] + texts[40:60], texts[20:40] + texts[60:],
                             texts[:40], texts[40:], DecomposeSpec.parse("auto"),
                             encoder=_TopicEncoder())
    assert part.method["k"] == 2
    assert len(set(part.validation_a.tolist())) == 1 and len(set(part.validation_b.tolist())) == 1
    assert part.validation_a[0] != part.validation_b[0]


def test_replay_gets_top_level_and_within_group_records(simpson, tmp_path, encoder):
    from wordlens.learned.replay import append_decomposed_run, load_replay, replay_examples

    path = tmp_path / "d.replay.jsonl"
    recs = append_decomposed_run(path, simpson, simpson.split_)
    back = load_replay(path)
    assert len(back) == len(recs) == 1 + len(simpson.decomposition.groups)
    assert [w["text"] for w in back[0].winners][:1] == [simpson.hypotheses[0].hypothesis]
    within = [r for r in back if r.origin.startswith("decompose:sport")]
    assert [w["text"] for w in within[0].winners] == ["?"]
    examples, hyps = replay_examples(path)
    assert len(examples) == sum(bool(r.winners) for r in back)


def test_three_groups_are_each_described_against_the_rest():
    rows = [{"text": f"{side} {topic} text {i} {topic}word", "topic": topic}
            for side, mix in (("a", (90, 60, 30)), ("b", (30, 60, 90)))
            for topic, n in zip(("sport", "music", "food"), mix) for i in range(n)]
    df = pd.DataFrame(rows)
    words = ["sportword", "musicword", "foodword"]

    class Words(Proposer):
        def propose(self, a, b, goal=None, *, seed=0):
            return [Hypothesis(w) for w in words]

    res = wordlens.diff(df[df.text.str.startswith("a")], df[df.text.str.startswith("b")],
                        hypotheses=words, proposer=Words(), judge=KeywordJudge(),
                        decompose="field:topic")
    desc = {g.name: g.description for g in res.decomposition.groups}
    assert desc == {"food": "foodword", "music": "musicword", "sport": "sportword"}
    by = {g.name: g for g in res.decomposition.groups}
    assert by["sport"].difference > 0 > by["food"].difference and not by["music"].significant
