"""The hypothesis bank: every candidate the learned proposer can rank and the search can verify.

Sources, merged in order and de-duplicated by :attr:`Hypothesis.key`:

- the exact property bank (:mod:`wordlens.properties`, with fixed length thresholds),
- the shipped topic/genre inventory (``wordlens/data/topics.txt``),
- a user file (``.txt`` one hypothesis a line, ``.jsonl`` with ``text`` and optional ``form``),
- winners of earlier ``diff`` runs (result ``.json`` files or a replay set).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import InputError
from ..hypothesis import Hypothesis, read_hypothesis_jsonl, read_hypothesis_lines
from ..proposers.learned.bank import (
    LENGTH_THRESHOLDS,
    Bank,
    dedupe,
    property_hypotheses,
    topic_hypotheses,
)

__all__ = ["LENGTH_THRESHOLDS", "Bank", "build_bank", "load_bank_file", "property_hypotheses",
           "topic_hypotheses", "winners_from_results"]


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
        return read_hypothesis_jsonl(p)
    out = [Hypothesis(ln, "user") for ln in read_hypothesis_lines(p)]
    if not out:
        raise InputError(f"{p}: no hypotheses (one per line)")
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
    return Bank(dedupe(hyps))
