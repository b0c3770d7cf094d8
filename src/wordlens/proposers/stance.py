"""Target-aware stance candidates: "speaks favourably / critically of TARGET" for targets named
on both sides."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..encoders import SentenceEncoder
from ..hypothesis import Hypothesis
from ..properties import vader_lexicon
from ..stance import ARGUES, POLARITIES, argues_text, stance_text
from .base import Proposer
from .contrastive import ContrastivePhraseProposer

#: a word in at least this share of the texts of both sides is a constant, never a target
CONSTANT_SHARE = 0.9
#: the shared-topic target is named in at least this share of each side's texts
TOPIC_SHARE = 0.1


class TargetStanceProposer(Proposer):
    """Finds targets among the contrastive miner's terms and proposes stance toward them.

    A target is a word (not a sentiment word of the VADER lexicon) that both sides name, in at
    least ``min_share`` of the texts of each side (and 3 texts): up to ``max_named`` names
    (capitalised in at least 70% of their uses inside sentences: people, parties, places,
    organisations), ranked by how often the rarer side names them, and up to
    ``max_contrastive`` other words among those whose document frequency differs most
    (|z| >= ``min_z``), such as 'feminists', and up to ``max_topic`` shared topic: the word
    both sides name most (in >= 10 % of each side's texts, e.g. 'abortion' when A argues
    against it and B for it). Words that nearly always occur together
    (Jaccard >= 0.6 over texts: 'donald', 'trump') form one target, shown by its most frequent
    word. A #hashtag or @mention in 90 % or more of the texts of both sides (a tag every text
    of a collection carries) is a constant of the data, never a target. Each target gives two
    hypotheses judged exactly by :mod:`wordlens.stance` (the sentiment of the sentences that
    name it) and two stance statements, "argues for / against TARGET", judged on the sentences
    that name it (:func:`wordlens.stance.target_passage`) with whatever judge the run uses
    (offline: the zero-shot embedding judge, an approximation).
    """

    name = "target stance"

    def __init__(self, encoder: SentenceEncoder | None = None, *, max_named: int = 4,
                 max_contrastive: int = 2, max_topic: int = 1, min_share: float = 0.03,
                 min_z: float = 3.0):
        self.encoder = encoder
        self.max_named = max_named
        self.max_contrastive = max_contrastive
        self.max_topic = max_topic
        self.min_share = min_share
        self.min_z = min_z

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        out = []
        for target, name in self.targets(list(a), list(b)):
            for polarity in POLARITIES:
                out.append(Hypothesis(stance_text(name, polarity), self.name,
                                      {"kind": "stance", "words": target,
                                       "polarity": polarity}))
            for side in ARGUES:
                out.append(Hypothesis(argues_text(name, side), self.name,
                                      {"kind": "argues", "words": target, "side": side}))
        return out

    def targets(self, a: list[str], b: list[str]) -> list[tuple[list[str], str]]:
        """[(target words, display name)], most salient first."""
        miner = ContrastivePhraseProposer(self.encoder)
        terms, z, x = miner.term_statistics(a, b)
        if not terms:
            return []
        na, nb = len(a), len(b)
        x = x.tocsc()
        dfa = np.asarray(x[:na].sum(axis=0)).ravel()
        dfb = np.asarray(x[na:].sum(axis=0)).ravel()
        lex = vader_lexicon()
        ok = np.array([t.isalpha() and len(t) >= 3 and t not in lex for t in terms])
        ok &= (dfa >= max(3, self.min_share * na)) & (dfb >= max(3, self.min_share * nb))
        texts = a + b
        # a tag on (nearly) every text of both sides, such as a hashtag every tweet of a
        # collection carries, is a constant of the data, not a target
        for i in np.flatnonzero(ok & (dfa >= CONSTANT_SHARE * na) & (dfb >= CONSTANT_SHARE * nb)):
            if _tag_share(terms[i], [texts[d] for d in x[:, i].nonzero()[0][:50]]) >= 0.5:
                ok[i] = False
        cand = np.flatnonzero(ok)
        if cand.size == 0:
            return []
        salience = np.minimum(dfa / na, dfb / nb)
        by_salience = cand[np.argsort(-salience[cand], kind="stable")][:30]
        surface = {int(i): _surface_forms(terms[i], [texts[d] for d in x[:, i].nonzero()[0][:50]])
                   for i in by_salience}
        named = [int(i) for i in by_salience if _capitalised_share(surface[int(i)]) >= 0.7]
        contrastive = [int(i) for i in cand[np.argsort(-np.abs(z[cand]), kind="stable")]
                       if abs(z[i]) >= self.min_z and int(i) not in named]
        # the shared topic: the word both sides use most (in >= 10 % of each side's texts)
        topical = [int(i) for i in by_salience if int(i) not in named
                   and salience[i] >= TOPIC_SHARE]
        chosen: list[list[int]] = []
        for pool, limit in ((named, self.max_named), (contrastive, self.max_contrastive),
                            (topical, self.max_topic)):
            added = 0
            for i in pool:
                if added >= limit:
                    break
                home = next((g for g in chosen if _jaccard(x, g[0], i) >= 0.6), None)
                if home is not None:
                    home.append(i)
                    continue
                chosen.append([i])
                added += 1
        out = []
        for g in chosen:
            top = max(g, key=lambda i: dfa[i] + dfb[i])
            forms = surface.get(top) or _surface_forms(
                terms[top], [texts[d] for d in x[:, top].nonzero()[0][:50]])
            name = forms.most_common(1)[0][0] if forms else terms[top]
            out.append(([terms[i] for i in g], name))
        return out

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__, "max_named": self.max_named,
                "max_contrastive": self.max_contrastive, "max_topic": self.max_topic,
                "min_share": self.min_share,
                "judged_by": "speaks favourably/critically of: mean VADER compound of the "
                             "sentences naming the target (>= +0.05 favourable, <= -0.05 "
                             "critical); argues for/against: the run's judge on those "
                             "sentences (offline zero-shot embedding); approximations"}


def _surface_forms(term: str, texts: Sequence[str], limit: int = 100) -> Counter[str]:
    """How the word is written where it is not the first word of a sentence (in ``texts``,
    the texts known to contain it)."""
    rx = re.compile(rf"(?<![\w'-]){re.escape(term)}(?![\w'-])", re.IGNORECASE)
    forms: Counter[str] = Counter()
    for t in texts:
        for m in rx.finditer(t):
            before = t[:m.start()].rstrip()
            if not before or before[-1] in ".!?":
                continue
            forms[m.group(0)] += 1
            if sum(forms.values()) >= limit:
                return forms
    return forms


def _tag_share(term: str, texts: Sequence[str]) -> float:
    """Share of the word's uses written as a #hashtag or an @mention."""
    rx = re.compile(rf"(?<![\w'-])([#@]?){re.escape(term)}(?![\w'-])", re.IGNORECASE)
    marks = [m.group(1) for t in texts for m in rx.finditer(t)]
    return sum(bool(m) for m in marks) / len(marks) if marks else 0.0


def _capitalised_share(forms: Counter[str]) -> float:
    n = sum(forms.values())
    return sum(c for f, c in forms.items() if f[:1].isupper()) / n if n else 0.0


def _jaccard(x, i: int, j: int) -> float:
    ci = set(x[:, i].nonzero()[0])
    cj = set(x[:, j].nonzero()[0])
    return len(ci & cj) / max(len(ci | cj), 1)
