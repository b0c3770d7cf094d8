"""Class lexicons (graded keyword hypotheses from bag-of-words weights) and pruning the
surrogate to where its cross-fitted curve flattens."""

from __future__ import annotations

import numpy as np

from wordlens.explain.explainer import explain
from wordlens.explain.fitting import Judgments, choose
from wordlens.explain.lexicon import SOURCE, lexicon_candidates
from wordlens.explain.refine import PER_SIDE, ROUNDS
from wordlens.hypothesis import Hypothesis
from wordlens.judges.features import FeatureJudge
from wordlens.proposers.base import Proposer

POS = ["budget", "deficit", "senate", "tax", "vote", "bill", "policy", "reform"]
NEG = ["goal", "match", "coach", "season", "league", "striker", "fans", "trophy"]
FILLER = ["the", "report", "said", "today", "people", "this", "week", "city", "news", "story"]


def _corpus(n: int = 120, seed: int = 0) -> tuple[list[str], list[int]]:
    """Texts of two classes that differ by graded use of two vocabularies (each text uses a
    few words of its class's list and one of the other's), so no single word decides."""
    rng = np.random.default_rng(seed)
    texts, y = [], []
    for i in range(n):
        lab = i % 2
        own, other = (POS, NEG) if lab else (NEG, POS)
        ws = list(rng.choice(own, size=3, replace=False)) + [str(rng.choice(other))]
        ws += list(rng.choice(FILLER, size=8))
        rng.shuffle(ws)
        texts.append(" ".join(ws) + ".")
        y.append(lab)
    return texts, y


def test_share_form_is_the_exact_share_of_listed_words():
    h = Hypothesis("uses many of 4 words", "t", {"kind": "keywords", "share": True,
                                                  "words": ["tax", "vote", "new deal", "x"]})
    any_h = Hypothesis("uses any", "t", {"kind": "keywords", "words": ["tax", "vote"]})
    texts = ["Tax and vote.", "a new deal on tax", "nothing here", "vote"]
    J = FeatureJudge().judge([h, any_h], texts)
    assert J[0].tolist() == [0.5, 0.5, 0.0, 0.25]
    assert J[1].tolist() == [1.0, 1.0, 0.0, 1.0]


def test_lexicons_name_their_class_and_separate_the_classes(encoder):
    texts, y = _corpus()
    hyps = lexicon_candidates(texts, np.array(y), names=("class 'politics'", "class 'sport'"),
                              encoder=encoder)
    assert hyps and all(h.source == SOURCE and h.form["share"] for h in hyps)
    assert any("typical of class 'politics'" in h.text for h in hyps)
    assert any("typical of class 'sport'" in h.text for h in hyps)
    top5 = next(h for h in hyps if h.text.startswith("uses many of 5 words typical of "
                                                     "class 'politics'"))
    assert set(top5.form["words"]) <= set(POS)
    j = FeatureJudge().judge([top5], texts)[0]
    y = np.array(y)
    assert j[y == 1].mean() > j[y == 0].mean() + 0.2
    assert lexicon_candidates(texts[:3], np.array([1, 0, 0])) == []
    assert lexicon_candidates(texts, np.zeros(len(texts))) == []


def test_prune_keeps_the_hypotheses_up_to_where_the_curve_flattens():
    texts, y = _corpus(160, seed=1)
    pruned = explain(texts, y, y, sae=False, max_hypotheses=6, n_splits=3, prune=True)
    full = explain(texts, y, y, sae=False, max_hypotheses=6, n_splits=3)
    ex, ex0 = pruned.explanations[0], full.explanations[0]
    assert len(ex.hypotheses) == ex.flattens_at <= len(ex0.hypotheses)
    assert len(pruned.surrogate_.hypotheses_) == ex.flattens_at
    assert ex.overall["surrogate_accuracy"] == ex.curve[ex.flattens_at - 1]["surrogate_accuracy"]
    assert ex.overall["surrogate_accuracy"] > 0.85  # graded lexicons carry the vocabularies
    assert pruned.settings["prune"] is True and full.settings["prune"] is False


# -- HypoGeniC-style refinement with a proposer ---------------------------------------------
class _TopWordProposer(Proposer):
    """A stand-in for a model: proposes the one word found in most more A texts than B
    texts, and records what it was shown."""

    name = "top word"

    def __init__(self):
        self.calls: list[tuple[list[str], list[str]]] = []

    def propose(self, a, b, goal=None, *, seed=0):
        self.calls.append((list(a), list(b)))
        vocab = sorted({w for t in a for w in t.lower().split()})
        diff = {w: sum(w in t.split() for t in a) / len(a) - sum(w in t.split() for t in b)
                / len(b) for w in vocab}
        best = max(vocab, key=lambda w: (diff[w], w))
        return [Hypothesis(f"uses the word '{best}'", self.name,
                           {"kind": "keywords", "words": [best]})]


def test_refinement_proposes_from_the_texts_the_surrogate_gets_wrong():
    rng = np.random.default_rng(3)
    texts, y = [], []
    for i in range(90):
        cue = ["match"] if i % 3 == 0 else ["software"] if i % 3 == 1 else []
        ws = cue + list(rng.choice(FILLER, size=6))
        texts.append(" ".join(ws))
        y.append(int(bool(cue)))
    # 'match' and 'software' each mark half the class; 'match' is made a little commoner
    texts += ["match " + " ".join(rng.choice(FILLER, size=6)) for _ in range(6)]
    y += [1] * 6
    y = np.array(y)
    store = Judgments(FeatureJudge(), texts)
    prop = _TopWordProposer()
    ch = choose(np.arange(len(y)), y, store, None, k=3, method="forward", proposer=prop,
                mine=False)
    # no candidates yet: the first round shows the first PER_SIDE texts of each side
    assert 2 <= len(prop.calls) <= ROUNDS and len(prop.calls[0][0]) == PER_SIDE
    first = ch.hypotheses and prop.calls and _TopWordProposer().propose(*prop.calls[0])[0]
    word = first.form["words"][0]
    hard_a = prop.calls[1][0]  # the misses of a surrogate on that word: the other cue's texts
    assert all(word not in t.split() for t in hard_a[:10])
    words = {w for h in ch.hypotheses for w in h.form["words"]}
    assert {"match", "software"} <= words


def test_explain_with_a_scripted_llm_proposer_refines_inside_every_fold():
    from wordlens.proposers.llm import build_proposer

    from .llm_server import ScriptedLLMServer

    sport = ["the team won the match", "a great season for the coach", "the player scored"]
    tech = ["new software for the phone", "the computer went online", "digital users"]
    other = ["a quiet walk by the river", "she baked bread today", "rain fell all night"]
    texts = [s for _ in range(8) for s in sport + tech + other]
    y = [int(i % 9 < 6) for i in range(len(texts))]
    transport = ScriptedLLMServer().transport()
    prop = build_proposer("scripted", transport=transport, cache=False)
    res = explain(texts, y, y, sae=False, proposer=prop, max_hypotheses=3, n_splits=3)
    ex = res.explanations[0]
    assert res.proposer["extra"]["name"].startswith("llm")
    assert ex.overall["surrogate_accuracy"] > 0.8
    # per choice (3 folds + the final one): a first proposal and at least one refinement,
    # each of the proposer's rounds one request
    assert len(transport.requests) >= 4 * 2 * prop.rounds
