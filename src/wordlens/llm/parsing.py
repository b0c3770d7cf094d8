"""Robust reading of a model's list of hypotheses (JSON or not), checks that each item looks
like a hypothesis, and near-duplicate removal."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_BULLET = re.compile(r"^\s*(?:[-*•·–]+|\(?\d{1,3}[.):]|\(?[a-zA-Z][.)]|#+)\s*")
_LEAD = re.compile(
    r"^(?:(?:compared to (?:group )?b,?\s*)?(?:the |this )?(?:texts?|ones?|samples?|documents?)"
    r"(?: in (?:group )?a)?(?: more often)?\s+|hypothesis\s*\d*\s*[:\-]\s*)", re.I)
_STOP = {"a", "an", "the", "text", "texts", "is", "are", "it", "its", "of", "to", "and",
         "or", "about", "that", "which", "more", "often", "contains", "contain", "mentions",
         "mention", "uses", "use", "has", "have"}

#: why a raw item was not kept (keys of :attr:`ParsedHypotheses.dropped`)
DROP_REASONS = {
    "empty": "empty or no letters",
    "markup": "JSON or markup fragments",
    "key_name": "key or identifier names",
    "too_short": "under 2 words",
    "too_long": "too long",
    "meta": "a question, or about the groups or the answer, not a text",
    "echo": "echoes of the prompt's examples or texts",
}

_MARKUP = re.compile(r"[{}\[\]<>|\\=]|\"\s*:|:\s*\"|https?://|```")
#: snake_case, camelCase (langCode) and letters+digits (groupA1, hypotheses3) identifiers
_IDENT = re.compile(r"\b(?:[A-Za-z]+_[A-Za-z0-9_]+|[a-z]{2,}[A-Z][a-z]+[A-Za-z]*|"
                    r"[A-Za-z]{4,}\d+[A-Za-z]*)\b")
_META = re.compile(r"\b(?:group [ab]|(?:both|the|these|two|other) groups?|hypothes[ie]s|json|"
                   r"as an ai)\b", re.I)
_QUOTED = re.compile(r'^\s*"([^"]*)"\s*,?\s*$')


@dataclass
class ParsedHypotheses:
    """Items kept from one answer, and the raw items dropped, by reason."""

    kept: list[str] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    dropped_examples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n_raw(self) -> int:
        return len(self.kept) + sum(self.dropped.values())

    def merge(self, other: ParsedHypotheses, max_examples: int = 8) -> None:
        self.kept += other.kept
        self.dropped.update(other.dropped)
        room = max_examples - len(self.dropped_examples)
        self.dropped_examples += other.dropped_examples[:max(0, room)]

    def summary(self) -> str:
        """``'3 JSON or markup fragments, 1 too long'`` (empty when nothing was dropped)."""
        return ", ".join(f"{n} {DROP_REASONS[r]}" for r, n in self.dropped.most_common())


def parse_hypotheses(answer: str | None, *, max_words: int = 15, max_chars: int = 120,
                     examples: Iterable[str] = (), shown_texts: Iterable[str] = ()
                     ) -> ParsedHypotheses:
    """Read an answer (a JSON list, an object holding one, bulleted / numbered lines or plain
    lines) and keep only items that look like a hypothesis: plain words, 2 to ``max_words``
    (the prompt asks for at most 12)
    words and at most ``max_chars`` characters, no JSON or markup fragments, no key names,
    not about the groups, not an echo of the prompt's ``examples`` nor a copy of one of the
    ``shown_texts``. Never raises on a malformed answer."""
    text = _unfence(answer or "")
    items = _from_json(text)
    if items is None:
        items = _from_lines(text)
    echo = {_norm(e) for e in examples}
    shown = [" ".join(t.lower().split()) for t in shown_texts]
    out = ParsedHypotheses()
    for item in items:
        raw = item if isinstance(item, str) else str(item)
        m = _QUOTED.match(raw)  # one element of a broken JSON list, read line by line
        h, reason = check_hypothesis(m.group(1) if m else item, max_words=max_words,
                                     max_chars=max_chars)
        if _norm(clean_hypothesis(h) or h) in echo or (reason is None and _copies(h, shown)):
            reason = "echo"
        if reason is None:
            out.kept.append(h)
        else:
            out.dropped[reason] += 1
            if len(out.dropped_examples) < 8:
                out.dropped_examples.append((" ".join(raw.split())[:80], reason))
    return out


def parse_hypothesis_list(answer: str | None, *, max_words: int = 15, max_chars: int = 120
                          ) -> list[str]:
    """The kept items of :func:`parse_hypotheses` (kept for callers that need only those)."""
    return parse_hypotheses(answer, max_words=max_words, max_chars=max_chars).kept


def check_hypothesis(item: object, *, max_words: int = 15, max_chars: int = 120
                     ) -> tuple[str, str | None]:
    """(cleaned item, None) when it looks like a hypothesis, else (item, drop reason)."""
    s = item if isinstance(item, str) else str(item) if isinstance(item, (int, float)) else ""
    s = " ".join(s.split()).strip()
    if _MARKUP.search(s.strip("`*_ ").strip()):
        return s, "markup"
    h = clean_hypothesis(s)
    if not h:
        return s, ("meta" if _META.search(s) else "empty")
    if _MARKUP.search(h):
        return h, "markup"
    if _IDENT.search(h):
        return h, "key_name"
    if _META.search(h) or s.rstrip().endswith("?"):
        return h, "meta"
    if len(h.split()) < 2:
        return h, "too_short"
    if len(h) > max_chars or len(h.split()) > max_words:
        return h, "too_long"
    return h, None


def clean_hypothesis(item: object) -> str:
    """Strip bullets, quotes, a leading "texts in group A" and final punctuation; '' when
    nothing usable is left."""
    s = item if isinstance(item, str) else str(item) if isinstance(item, (int, float)) else ""
    s = " ".join(s.split()).strip().strip("\"'`*_").strip()
    s = _BULLET.sub("", s).strip().strip("\"'`*_").strip()
    s = _LEAD.sub("", s).strip()
    s = s.rstrip(".;,").strip()
    if len(s) < 3 or not re.search(r"[A-Za-z]", s):
        return ""
    low = s.lower()
    if "group a" in low or "group b" in low or low.startswith(("here are", "sure", "note")):
        return ""
    if s[:1].isupper() and not s[1:2].isupper():
        s = s[0].lower() + s[1:]
    return s


def dedupe(hypotheses: list[str], threshold: float = 0.8) -> list[str]:
    """Drop near-identical hypotheses (same content words, up to plural 's'), keeping order."""
    kept: list[tuple[str, set[str]]] = []
    for h in hypotheses:
        words = _content(h)
        if any(h.lower() == k.lower() or (words and _jaccard(words, w) >= threshold)
               for k, w in kept):
            continue
        kept.append((h, words))
    return [h for h, _ in kept]


def _norm(h: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", h.lower()))


def _copies(h: str, shown: list[str]) -> bool:
    """A hypothesis of 6+ words found verbatim in a shown text is a copy, not a predicate."""
    low = " ".join(h.lower().split())
    return len(low.split()) >= 6 and any(low in t for t in shown)


def _content(h: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w
            for w in re.findall(r"[a-z0-9']+", h.lower()) if w not in _STOP}


def _jaccard(x: set[str], y: set[str]) -> float:
    return len(x & y) / max(1, len(x | y))


def _unfence(text: str) -> str:
    m = re.search(r"```(?:json|JSON)?\s*(.*?)```", text, re.S)
    return m.group(1) if m else text


def _from_json(text: str) -> list | None:
    for opener, closer in (("[", "]"), ("{", "}")):
        i, j = text.find(opener), text.rfind(closer)
        if i < 0 or j <= i:
            continue
        try:
            data = json.loads(text[i:j + 1])
        except ValueError:
            continue
        if isinstance(data, dict):
            lists = [v for v in data.values() if isinstance(v, list)]
            data = lists[0] if lists else list(data.values())
        if isinstance(data, list):
            return [_item_text(x) for x in data]
    return None


def _item_text(x: object) -> Any:
    if isinstance(x, dict):
        for k in ("hypothesis", "text", "description", "property", "predicate"):
            if isinstance(x.get(k), str):
                return x[k]
        return json.dumps(x)  # an object with other keys: dropped as markup, and counted
    if isinstance(x, list):
        return json.dumps(x)
    return x


def _from_lines(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    bulleted = [ln for ln in lines if _BULLET.match(ln) and _BULLET.match(ln).end() > 0]
    chosen = bulleted if bulleted else lines
    return chosen
