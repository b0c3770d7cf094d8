"""A research goal steers what is proposed and how the table is ordered, never a statistic.

**Views.** Every hypothesis states one kind of difference, its *view*: ``topic`` (what the texts
are about, keyword concepts included), ``genre`` (what kind of text it is or what it does),
``style`` (how it is written: surface properties, register), ``sentiment`` (tone, emotion),
``stance`` (for or against a target) or ``language`` (which natural language). The view of an
offline hypothesis follows from where it comes from: its property (``properties``), its keyword
list (``topic``, or ``language`` when the words are another language's), its stance form, or
the ``# [section]`` of the shipped inventory (``wordlens/data/topics.txt``) it belongs to; any
other hypothesis (LLM, user) takes the section of its nearest inventory description.

**The goal's views.** The goal is embedded (MiniLM) and compared with a few descriptions of
each view; a word naming a view ("language", "style", "topics", ...) adds ``KEYWORD_BONUS``.
The goal *asks about* every view whose score is within ``VIEW_MARGIN`` of the best one (all of
them for a vague goal, which then changes nothing).

**Relevance and ranking** (:func:`rank_for_goal`). ``goal_relevance`` of a hypothesis is the
larger of its cosine similarity to the goal and its view's score. It *answers the goal* when
its view is one the goal asks about or its similarity to the goal is at least
``DIRECT_SIMILARITY``. The reported order is: significant hypotheses that answer the goal,
then every other hypothesis, each part in the usual statistical order. p, q, the
false-discovery family and every other number are untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from .hypothesis import Hypothesis
from .result import HypothesisResult

VIEWS = ("topic", "genre", "style", "sentiment", "stance", "language")
#: how a goal that asks about each view tends to be phrased
GOAL_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "topic": ("what topics do the texts discuss", "what are the texts about",
              "the subject matter, themes and content of the texts"),
    "genre": ("what kind of text is it: a review, news, an advertisement or a question",
              "the genre, purpose or function of the texts", "what the texts are trying to do"),
    "style": ("how are the texts written", "the writing style: formal or casual, punctuation, "
              "length and word choice", "differences in register and phrasing"),
    "sentiment": ("the sentiment or emotion of the texts",
                  "are the texts positive or negative", "the mood and feelings expressed"),
    "stance": ("the stance the authors take toward a target",
               "do the authors support or oppose it", "which side of the debate they argue"),
    "language": ("what natural language are the texts written in",
                 "English, German, French or Spanish", "which language the texts use"),
}
#: words that name a view outright
GOAL_WORDS: dict[str, frozenset[str]] = {
    "topic": frozenset("topic topics subject subjects theme themes about discuss discussed "
                       "content".split()),
    "genre": frozenset("genre genres kind type purpose intent function format".split()),
    "style": frozenset("style styles stylistic register formal informal formality phrasing "
                       "wording punctuation".split()),
    "sentiment": frozenset("sentiment sentiments emotion emotions emotional mood feeling "
                           "feelings positive negative".split()),
    "stance": frozenset("stance stances support oppose opposition against favour favor "
                        "position positions side".split()),
    "language": frozenset("language languages multilingual english german french spanish "
                          "italian dutch portuguese".split()),
}
KEYWORD_BONUS = 0.15
VIEW_MARGIN = 0.05
DIRECT_SIMILARITY = 0.55
#: the properties (by name) that are not about style
PROPERTY_VIEWS = {"positive": "sentiment", "negative": "sentiment",
                  "strong_positive": "sentiment", "strong_negative": "sentiment",
                  "neutral": "sentiment", "question": "genre", "recommendation": "genre",
                  "money": "topic"}
RULE = ("a hypothesis answers the goal when its view is one the goal asks about or its cosine "
        f"similarity to the goal is >= {DIRECT_SIMILARITY}; significant ones that answer it "
        "are ranked first, then every other hypothesis, each part in the usual statistical "
        "order; statistics and the false-discovery family are unchanged")
_LANGUAGE_WORDS = re.compile(r"\b(written in|language)\b", re.IGNORECASE)
_STANCE_WORDS = re.compile(r"^(argues (for|against)|speaks (favourably|critically) of|"
                           r"supports|opposes)\b", re.IGNORECASE)


@dataclass(frozen=True)
class GoalViews:
    """What a goal asks about: a score per view and the views it asks about."""

    goal: str
    scores: dict[str, float]
    views: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"goal": self.goal, "views": list(self.views),
                "view_scores": {k: round(v, 4) for k, v in self.scores.items()},
                "rule": RULE}


@lru_cache(maxsize=1)
def bank_sections() -> dict[str, str]:
    """Inventory description -> its ``# [section]`` in ``wordlens/data/topics.txt``."""
    raw = resources.files("wordlens").joinpath("data/topics.txt").read_text(encoding="utf-8")
    out, section = {}, "topic"
    for line in raw.splitlines():
        m = re.match(r"#\s*\[(\w+)\]", line.strip())
        if m:
            section = m.group(1)
        elif line.strip() and not line.startswith("#"):
            out.setdefault(line.strip(), section)
    return out


def _encoder(encoder: Any):
    if encoder is not None:
        return encoder
    from .encoders import default_encoder

    return default_encoder()


def goal_views(goal: str, encoder: Any = None) -> GoalViews:
    """Score each view for ``goal`` and pick those within ``VIEW_MARGIN`` of the best."""
    enc = _encoder(encoder)
    g = enc.encode([goal])[0]
    goal_words = set(re.findall(r"[a-z]+", goal.lower()))
    scores = {}
    for view in VIEWS:
        sims = enc.encode(list(GOAL_PROTOTYPES[view])) @ g
        scores[view] = float(np.max(sims)) + KEYWORD_BONUS * bool(goal_words & GOAL_WORDS[view])
    best = max(scores.values())
    views = tuple(v for v in VIEWS if scores[v] >= best - VIEW_MARGIN)
    return GoalViews(goal, scores, views)


def hypothesis_view(h: Hypothesis, encoder: Any = None) -> str:
    """The view of one hypothesis (see the module doc)."""
    return hypothesis_views([h], encoder)[0]


def hypothesis_views(hyps: Sequence[Hypothesis], encoder: Any = None) -> list[str]:
    """The view of each hypothesis (see the module doc)."""
    sections = bank_sections()
    out: list[str | None] = []
    for h in hyps:
        form = h.form or {}
        kind = form.get("kind")
        if kind == "property":
            name = str(form.get("name", ""))
            out.append("language" if "language" in form else
                       "genre" if name.startswith("asks_") else PROPERTY_VIEWS.get(name, "style"))
        elif kind in ("stance", "argues"):
            out.append("stance")
        elif kind == "keywords":
            out.append("language" if _foreign_words(form.get("words", ())) else "topic")
        elif h.text in sections:
            out.append(sections[h.text])
        elif _LANGUAGE_WORDS.search(h.text):
            out.append("language")
        elif _STANCE_WORDS.search(h.text):
            out.append("stance")
        else:
            out.append(None)
    free = [i for i, v in enumerate(out) if v is None]
    if free:
        enc = _encoder(encoder)
        bank = list(sections)
        sims = enc.encode([hyps[i].text for i in free]) @ enc.encode(bank).T
        for i, j in zip(free, np.argmax(sims, axis=1)):
            out[i] = sections[bank[int(j)]]
    return [str(v) for v in out]


#: keyword lists are read among these languages (a short list of words is too little for the
#: full model's 97 languages)
KEYWORD_LANGUAGES = ("de", "en", "es", "fr", "it", "nl", "pt")


def _foreign_words(words: Sequence[str]) -> bool:
    """A keyword list that the language identifier, among ``KEYWORD_LANGUAGES``, reads with
    probability >= 0.85 as a language other than English ('und', 'zu', 'das')."""
    if not words:
        return False
    from .language import classify

    code, p = classify(" ".join(words), KEYWORD_LANGUAGES)
    return code not in ("en", "und") and p >= 0.85


@dataclass(frozen=True)
class GoalRelevance:
    """Per hypothesis: relevance to the goal, whether it answers it, its view; ``by`` says
    how many were rated by an LLM (the rest by views)."""

    relevance: np.ndarray
    relevant: np.ndarray
    views: list[str]
    goal: GoalViews
    llm_rated: int = 0

    def describe(self) -> dict[str, Any]:
        by = ("offline views" if not self.llm_rated else
              f"LLM relevance rating (D5) for {self.llm_rated} of {len(self.views)}, "
              "offline views for the rest")
        return self.goal.to_dict() | {"relevance_by": by}


def goal_relevance(goal: str, hyps: Sequence[Hypothesis], encoder: Any = None,
                   client: Any = None) -> GoalRelevance:
    """Relevance of each hypothesis to ``goal`` (see the module doc); with an LLM ``client``,
    its 0/1/2 rating (:func:`llm_relevance`) decides where it answered."""
    enc = _encoder(encoder)
    gv = goal_views(goal, enc)
    views = hypothesis_views(hyps, enc)
    if not hyps:
        return GoalRelevance(np.zeros(0), np.zeros(0, dtype=bool), [], gv)
    sim = enc.encode([h.text for h in hyps]) @ enc.encode([goal])[0]
    view_score = np.array([gv.scores[v] if v in gv.views else 0.0 for v in views])
    relevance = np.maximum(sim, view_score)
    relevant = np.array([v in gv.views for v in views]) | (sim >= DIRECT_SIMILARITY)
    rated = 0
    if client is not None:
        ratings = llm_relevance(goal, hyps, client)
        ok = np.isfinite(ratings)
        relevance[ok] = ratings[ok] / 2.0
        relevant[ok] = ratings[ok] >= 1
        rated = int(ok.sum())
    return GoalRelevance(relevance, relevant, views, gv, rated)


RELEVANCE_SYSTEM = ("You rate how relevant findings about two groups of texts are to a "
                    "research goal.")
RELEVANCE_USER = (
    "Research goal: {goal}\n\nFindings (each says what texts of one group do more often):\n"
    "{items}\n\nFor each finding, how relevant is it to the research goal? Rate 0 (unrelated), "
    "1 (related) or 2 (directly answers the goal). Answer with one JSON object that maps the "
    "id of every finding to its rating, in the form {{\"<id>\": 2, \"<id>\": 0}}.")


def llm_relevance(goal: str, hyps: Sequence[Hypothesis], client: Any, *, batch: int = 20
                  ) -> np.ndarray:
    """D5's relevance rating: the chat model rates each hypothesis 0 (unrelated), 1
    (related) or 2 (directly answers the goal), ``batch`` per prompt; NaN where a reply
    gave no rating (failed call, unreadable reply)."""
    import json

    from .llm.client import make_request
    from .llm.prompts import item_ids

    out = np.full(len(hyps), np.nan)
    jobs, spans = [], []
    for start in range(0, len(hyps), batch):
        part = list(hyps[start:start + batch])
        ids = item_ids(len(part))
        items = "\n".join(f"[{i}] {h.text}" for i, h in zip(ids, part))
        jobs.append(make_request([{"role": "system", "content": RELEVANCE_SYSTEM},
                                  {"role": "user", "content": RELEVANCE_USER.format(
                                      goal=goal, items=items)}],
                                 max_tokens=12 * len(part) + 32))
        spans.append((start, ids))
    for (start, ids), reply in zip(spans, client.chat_many(jobs, return_exceptions=True)):
        if isinstance(reply, BaseException):
            continue
        m = re.search(r"\{.*\}", reply.text, re.S)
        try:
            got = json.loads(m.group(0)) if m else {}
        except ValueError:
            got = {}
        for k, i in enumerate(ids):
            v = got.get(i) if isinstance(got, dict) else None
            if isinstance(v, (int, float)) and v in (0, 1, 2):
                out[start + k] = float(v)
    return out


def rank_for_goal(rows: Sequence[HypothesisResult]) -> list[HypothesisResult]:
    """Significant rows that answer the goal first, then the rest, each part in its given
    order; ranks renumbered. Rows without a goal (``answers_goal`` None) keep their order."""
    rows = list(rows)
    first = [r for r in rows if r.answers_goal and r.significant]
    rest = [r for r in rows if not (r.answers_goal and r.significant)]
    out = first + rest
    for rank, row in enumerate(out, start=1):
        row.rank = rank
    return out


def goal_divider(leaders: Sequence[HypothesisResult], i: int) -> str | None:
    """With a goal, the heading a table puts above its row ``i`` (of the group leaders, in
    :func:`rank_for_goal`'s order); None elsewhere and without a goal."""
    if leaders[i].answers_goal is None:
        return None
    on = [bool(h.answers_goal and h.significant) for h in leaders]
    if i == 0:
        return ("answers the goal:" if on[0] else
                "answers the goal: no significant finding; other findings:")
    return "other findings:" if on[i - 1] and not on[i] else None
