"""The hypothesis bank: every candidate the learned proposer can rank and the search can verify.

Sources, merged in order and de-duplicated by :attr:`Hypothesis.key`:

- the exact property bank (:mod:`wordlens.properties`, with fixed length thresholds),
- the shipped topic/genre inventory (``wordlens/data/topics.txt``),
- a user file (``.txt`` one hypothesis a line, ``.jsonl`` with ``text`` and optional ``form``),
- winners of earlier ``diff`` runs (result ``.json`` files or a replay set).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..corpus import iter_jsonl
from ..errors import InputError
from ..hypothesis import Hypothesis, read_hypothesis_lines
from ..properties import STATIC_PROPERTIES, length_property

#: word-count thresholds of the length properties in the bank (a pair-independent choice)
LENGTH_THRESHOLDS = {"max_words": (8, 15), "min_words": (30, 80)}


@dataclass(frozen=True)
class Bank:
    """An ordered, de-duplicated tuple of hypotheses."""

    hypotheses: tuple[Hypothesis, ...]

    def __len__(self) -> int:
        return len(self.hypotheses)

    def __iter__(self) -> Iterator[Hypothesis]:
        return iter(self.hypotheses)

    def __getitem__(self, i: int) -> Hypothesis:
        return self.hypotheses[i]

    @property
    def keys(self) -> list[str]:
        return [h.key for h in self.hypotheses]

    def index(self) -> dict[str, int]:
        return {h.key: i for i, h in enumerate(self.hypotheses)}

    def merged(self, other: Iterable[Hypothesis]) -> Bank:
        return Bank(_dedupe(list(self.hypotheses) + list(other)))

    def save(self, path: str | Path) -> Path:
        from ..result import write_atomic

        return write_atomic(path, "".join(json.dumps(h.to_dict()) + "\n"
                                          for h in self.hypotheses))


def property_hypotheses() -> list[Hypothesis]:
    """Every static property plus 'is short' / 'is long' at fixed word counts (exact forms)."""
    out = [Hypothesis(p.text, "general properties", {"kind": "property", "name": p.name})
           for p in STATIC_PROPERTIES]
    for n in LENGTH_THRESHOLDS["max_words"]:
        p = length_property(max_words=n)
        out.append(Hypothesis(p.text, "general properties",
                              {"kind": "property", "name": p.name, "max_words": n}))
    for n in LENGTH_THRESHOLDS["min_words"]:
        p = length_property(min_words=n)
        out.append(Hypothesis(p.text, "general properties",
                              {"kind": "property", "name": p.name, "min_words": n}))
    return out


def topic_hypotheses() -> list[Hypothesis]:
    from ..judges.embedding import reference_descriptions

    return [Hypothesis(d, "topic inventory") for d in reference_descriptions()]


def load_bank_file(path: str | Path) -> list[Hypothesis]:
    """Hypotheses from ``.txt`` (one a line, ``#`` comments), ``.jsonl`` (``text``, optional
    ``form`` and ``source``), a diff result ``.json`` (its significant winners) or a replay set
    (``.replay.jsonl``: its winners)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    name = p.name.lower()
    if name.endswith(".replay.jsonl"):
        from .replay import load_replay

        return [w for rec in load_replay(p) for w in rec.winner_hypotheses()]
    if p.suffix.lower() == ".json":
        return winners_from_results([p])
    if p.suffix.lower() == ".jsonl":
        return _load_jsonl(p)
    out = [Hypothesis(ln, "user") for ln in read_hypothesis_lines(p)]
    if not out:
        raise InputError(f"{p}: no hypotheses (one per line)")
    return out


def _load_jsonl(p: Path) -> list[Hypothesis]:
    out = []
    for lineno, obj in iter_jsonl(p):
        if isinstance(obj, str):
            obj = {"text": obj}
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) \
                or not obj["text"].strip():
            raise InputError(f"{p}:{lineno}: expected an object with a non-empty 'text'")
        form = obj.get("form")
        if form is not None and not isinstance(form, dict):
            raise InputError(f"{p}:{lineno}: field 'form' must be an object or null")
        out.append(Hypothesis(obj["text"], obj.get("source", "user"), form))
    if not out:
        raise InputError(f"{p}: no hypotheses")
    return out


def winners_from_results(paths: Sequence[str | Path], *, significant_only: bool = True
                         ) -> list[Hypothesis]:
    """Hypotheses that earlier ``diff`` runs found (significant ones by default)."""
    from ..result import DiffResult

    out = []
    for path in paths:
        try:
            res = DiffResult.load(path)
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise InputError(f"{path}: not a wordlens result JSON ({exc})") from None
        out += [Hypothesis(h.hypothesis, h.source, h.form) for h in res.hypotheses
                if h.significant or not significant_only]
    return out


def build_bank(files: Sequence[str | Path] = (), *, properties: bool = True,
               topics: bool = True, extra: Iterable[Hypothesis] = ()) -> Bank:
    """The bank: properties + topic inventory + hypotheses from ``files`` + ``extra``."""
    hyps: list[Hypothesis] = []
    if properties:
        hyps += property_hypotheses()
    if topics:
        hyps += topic_hypotheses()
    for f in files:
        hyps += load_bank_file(f)
    hyps += list(extra)
    if not hyps:
        raise InputError("the hypothesis bank is empty")
    return Bank(_dedupe(hyps))


def _dedupe(hyps: list[Hypothesis]) -> tuple[Hypothesis, ...]:
    seen: dict[str, Hypothesis] = {}
    for h in hyps:
        seen.setdefault(h.key, h)
    return tuple(seen.values())
