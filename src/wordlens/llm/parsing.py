"""Robust reading of a model's list of hypotheses (JSON or not) and near-duplicate removal."""

from __future__ import annotations

import json
import re

_BULLET = re.compile(r"^\s*(?:[-*•·–]+|\(?\d{1,3}[.):]|\(?[a-zA-Z][.)]|#+)\s*")
_LEAD = re.compile(
    r"^(?:(?:compared to (?:group )?b,?\s*)?(?:the )?(?:texts?|ones?|samples?|documents?)"
    r"(?: in (?:group )?a)?(?: more often)?\s+|hypothesis\s*\d*\s*[:\-]\s*)", re.I)
_STOP = {"a", "an", "the", "text", "texts", "is", "are", "it", "its", "of", "to", "and",
         "or", "about", "that", "which", "more", "often", "contains", "contain", "mentions",
         "mention", "uses", "use", "has", "have"}


def parse_hypothesis_list(answer: str, *, max_words: int = 20, max_chars: int = 160
                          ) -> list[str]:
    """Hypotheses from a model's answer: a JSON list (or an object holding one), else
    bulleted / numbered lines, else plain lines. Empty, over-long and meta items are dropped;
    nothing here raises on a malformed answer."""
    text = _unfence(answer or "")
    items = _from_json(text)
    if items is None:
        items = _from_lines(text)
    out = []
    for item in items:
        h = clean_hypothesis(item)
        if h and len(h) <= max_chars and len(h.split()) <= max_words:
            out.append(h)
    return out


def clean_hypothesis(item: object) -> str:
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


def _item_text(x: object) -> object:
    if isinstance(x, dict):
        for k in ("hypothesis", "text", "description", "property", "predicate"):
            if isinstance(x.get(k), str):
                return x[k]
        return ""
    return x


def _from_lines(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    bulleted = [ln for ln in lines if _BULLET.match(ln) and _BULLET.match(ln).end() > 0]
    chosen = bulleted if bulleted else lines
    return [ln for ln in chosen if not ln.rstrip().endswith(":")]
