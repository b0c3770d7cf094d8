"""Exact judges for hypotheses that carry a programmatic form (properties, keyword lists)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputError
from ..hypothesis import Hypothesis
from ..properties import property_from_form
from ..stance import stance_holds
from ..textutil import token_set
from .base import Judge

FORM_KINDS = ("property", "keywords", "stance")


class FeatureJudge(Judge):
    """Judges ``{"kind": "property", ...}`` and ``{"kind": "keywords", "words": [...]}``
    forms exactly: a property by its function, a keyword list by whole-word (or whole-phrase)
    presence of any listed word (with ``"share": true``, the share of the listed words the
    text uses, in [0, 1]), ``{"kind": "stance", "words": [...], "polarity": ...}`` by
    the sentiment of the sentences naming the target (:mod:`wordlens.stance`). Judgments are
    0 or 1, except shares.
    """

    name = "exact features"

    @staticmethod
    def supports(h: Hypothesis) -> bool:
        return bool(h.form) and h.form.get("kind") in FORM_KINDS

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        out = np.zeros((len(hypotheses), len(texts)), dtype=float)
        sets = None
        for i, h in enumerate(hypotheses):
            if not self.supports(h):
                raise InputError(f"the exact judge cannot judge {h.text!r}: it has no "
                                 "programmatic form (property or keyword list); use the "
                                 "offline or an LLM judge")
            form = h.form or {}
            if form["kind"] == "property":
                fn = property_from_form(dict(form)).fn
                out[i] = [fn(t) for t in texts]
            elif form["kind"] == "stance":
                target, polarity = list(form["words"]), str(form["polarity"])
                out[i] = [stance_holds(t, target, polarity) for t in texts]
            else:
                if sets is None:
                    sets = [token_set(t) for t in texts]
                vocab = frozenset(w.lower() for w in form["words"])
                if form.get("share"):
                    out[i] = [len(vocab & s) / max(len(vocab), 1) for s in sets]
                else:
                    out[i] = [float(not vocab.isdisjoint(s)) for s in sets]
        return out

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__, "forms": list(FORM_KINDS)}
