"""Replay set of verified search winners, and expert iteration.

A replay set is a JSONL file (``*.replay.jsonl`` by convention); each line is one searched
pair: the mean sentence embedding of each side (the pair summary the learned proposer reads),
and the hypotheses the search verified as significant winners, with their validity. ``wordlens
diff --replay PATH`` appends one line per run; ``wordlens train-proposer --replay PATH``
retrains on them. :func:`expert_iteration` runs the whole loop and reports, per iteration, the
proposer's recall against the search on held-out pairs.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import iter_jsonl
from ..encoders import SentenceEncoder, default_encoder
from ..errors import InputError
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..proposers.learned.model import LearnedProposer, PairExample, PairSummary, summarize
from ..split import Split
from .search import SearchResult, verify_all

FORMAT = "wordlens.replay/1"
#: replayed search results weigh this much more than one forward sample in training
REPLAY_WEIGHT = 3.0


@dataclass
class ReplayRecord:
    """One searched pair and its verified winners."""

    mean_a: list[float]
    mean_b: list[float]
    sketch_a: list[float]
    sketch_b: list[float]
    n_a: int
    n_b: int
    winners: list[dict[str, Any]]
    origin: str = ""
    encoder: str = ""
    created_at: str = field(default_factory=lambda: _dt.datetime.now(
        _dt.timezone.utc).isoformat(timespec="seconds"))

    def winner_hypotheses(self) -> list[Hypothesis]:
        return [Hypothesis(w["text"], w.get("source", "search"), w.get("form"))
                for w in self.winners]

    def summary(self) -> PairSummary:
        f = np.float32
        return PairSummary(np.asarray(self.mean_a, f), np.asarray(self.mean_b, f),
                           np.asarray(self.sketch_a, f), np.asarray(self.sketch_b, f),
                           self.n_a, self.n_b)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "origin": self.origin, "encoder": self.encoder,
                "created_at": self.created_at, "n_a": self.n_a, "n_b": self.n_b,
                "winners": self.winners,
                "mean_a": [round(float(x), 6) for x in self.mean_a],
                "mean_b": [round(float(x), 6) for x in self.mean_b],
                "sketch_a": [round(float(x), 4) for x in self.sketch_a],
                "sketch_b": [round(float(x), 4) for x in self.sketch_b]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReplayRecord:
        return cls(mean_a=list(d["mean_a"]), mean_b=list(d["mean_b"]),
                   sketch_a=list(d["sketch_a"]), sketch_b=list(d["sketch_b"]), n_a=int(d["n_a"]),
                   n_b=int(d["n_b"]), winners=list(d["winners"]), origin=d.get("origin", ""),
                   encoder=d.get("encoder", ""), created_at=d.get("created_at", ""))


def _winner(h: Hypothesis, validity: float, q: float) -> dict[str, Any]:
    return {**h.to_dict(), "validity": round(float(validity), 4), "q_value": float(q)}


def record_from_search(search: SearchResult, a: Sequence[str], b: Sequence[str],
                       encoder: SentenceEncoder, *, origin: str = "search",
                       alpha: float = 0.05, limit: int = 5) -> ReplayRecord:
    summ = summarize(a, b, encoder)
    wins = [_winner(search.hypotheses[i], search.validity[i], search.q_value[i])
            for i in search.winners(alpha, limit)]
    return _record(summ, wins, origin, encoder.name)


def record_from_diff(result, a: Sequence[str], b: Sequence[str], encoder: SentenceEncoder,
                     *, origin: str = "diff", limit: int = 10) -> ReplayRecord:
    """The significant winners of a :class:`~wordlens.result.DiffResult` (best ranks first)."""
    summ = summarize(a, b, encoder)
    wins = [_winner(Hypothesis(h.hypothesis, h.source, h.form), h.validity, h.q_value)
            for h in result.hypotheses if h.significant][:limit]
    return _record(summ, wins, origin, encoder.name)


def _record(s: PairSummary, wins: list[dict[str, Any]], origin: str, encoder: str
            ) -> ReplayRecord:
    return ReplayRecord(s.mean_a.tolist(), s.mean_b.tolist(), s.sketch_a.tolist(),
                        s.sketch_b.tolist(), s.n_a, s.n_b, wins, origin, encoder)


def append_replay(path: str | Path, records: Sequence[ReplayRecord]) -> Path:
    """Append records (one JSON line each); the file is rewritten atomically."""
    from ..result import write_atomic

    p = Path(path)
    if p.exists() and p.is_dir():
        raise InputError(f"--replay {p}: is a folder; give a file name")
    old = p.read_text(encoding="utf-8") if p.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    new = "".join(json.dumps(r.to_dict()) + "\n" for r in records)
    return write_atomic(p, old + new)


def load_replay(path: str | Path) -> list[ReplayRecord]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such replay file")
    out = []
    for lineno, d in iter_jsonl(p):
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise InputError(f"{p}:{lineno}: not a replay record (field 'format' must be "
                             f"{FORMAT!r})")
        try:
            out.append(ReplayRecord.from_dict(d))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{p}:{lineno}: bad replay record ({exc})") from None
    return out


def append_diff_run(path: str | Path, result, split: Split, *, limit: int = 30
                    ) -> ReplayRecord:
    """What ``wordlens diff --replay PATH`` calls: summarise the texts the run used
    (``result.split_``) and append the run's significant winners."""
    rec = record_from_diff(result, split.a, split.b, default_encoder(), limit=limit,
                           origin=f"diff:{result.corpus_a.source}|{result.corpus_b.source}")
    append_replay(path, [rec])
    return rec


def append_decomposed_run(path: str | Path, result, split: Split, *, limit: int = 30
                          ) -> list[ReplayRecord]:
    """``wordlens diff --decompose ... --replay PATH``: the top-level record of
    :func:`append_diff_run` plus one record per within-group diff (the group's A and B texts
    and its significant winners, q over the decomposition's family), so that training learns
    from the amplified answers too. Records are appended in one atomic write."""
    enc = default_encoder()
    origin = f"{result.corpus_a.source}|{result.corpus_b.source}"
    records = [record_from_diff(result, split.a, split.b, enc, limit=limit,
                                origin=f"diff:{origin}")]
    dec = result.decomposition
    subs = (dec.group_splits_ or {}) if dec is not None else {}
    for g, sub in sorted(subs.items()):
        rows = [w for w in dec.within if w.group == g and w.significant][:limit]
        summ = summarize(sub.a, sub.b, enc)
        wins = [_winner(Hypothesis(w.hypothesis, w.source, w.form), w.validity, w.q_value)
                for w in rows]
        records.append(_record(summ, wins, f"decompose:{dec.groups[g].name}:{origin}",
                               enc.name))
    append_replay(path, records)
    return records


def replay_examples(replay: str | Path | Sequence[ReplayRecord], *,
                    temperature: float = 0.05, weight: float = REPLAY_WEIGHT
                    ) -> tuple[list[PairExample], list[Hypothesis]]:
    """Training examples (targets: softmax of |validity| / temperature over the winners; loss
    weight ``weight``) and the winner hypotheses (to add to the bank). Records without winners
    are skipped."""
    records = load_replay(replay) if isinstance(replay, (str, Path)) else list(replay)
    examples, hyps = [], []
    for r in records:
        if not r.winners:
            continue
        wh = r.winner_hypotheses()
        v = np.abs(np.array([w["validity"] for w in r.winners], dtype=float))
        w = np.exp((v - v.max()) / temperature)
        w /= w.sum()
        targets: dict[str, float] = {}
        for h, wi in zip(wh, w):
            targets[h.key] = targets.get(h.key, 0.0) + float(wi)
        examples.append(PairExample(r.summary(), targets,
                                    origin="replay", weight=weight))
        hyps += wh
    return examples, hyps


# -- expert iteration ------------------------------------------------------------------------
Pair = tuple[list[str], list[str]]


@dataclass
class IterationReport:
    """Recall of the proposer's top k against the search's winners on held-out pairs."""

    iteration: int
    n_replay_records: int
    recall_vs_search: float
    top1_hit: float
    n_heldout: int
    k: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def recall_vs_search(proposer: LearnedProposer, pairs: Sequence[Pair],
                     searches: Sequence[SearchResult], k: int, *, limit: int = 3
                     ) -> tuple[float, float]:
    """Mean share of the search's top ``limit`` significant winners found in the proposer's
    top k, and the share of pairs whose best winner is in it (pairs without winners skipped)."""
    shares, top1 = [], []
    for (a, b), s in zip(pairs, searches):
        wins = {s.hypotheses[i].key for i in s.winners(limit=limit)}
        if not wins:
            continue
        best = s.hypotheses[s.winners(limit=1)[0]].key
        got = {h.key for h, _ in proposer.rank(a, b)[:k]}
        shares.append(len(wins & got) / len(wins))
        top1.append(float(best in got))
    return (float(np.mean(shares)) if shares else float("nan"),
            float(np.mean(top1)) if top1 else float("nan"))


def expert_iteration(fit: Callable[[list[PairExample], list[Hypothesis]], LearnedProposer],
                     base_examples: Sequence[PairExample], search_rounds: Sequence[Sequence[Pair]],
                     heldout: Sequence[Pair], bank: Sequence[Hypothesis], judge: Judge, *,
                     encoder: SentenceEncoder | None = None, k: int = 10,
                     replay_path: str | Path | None = None, log=None,
                     temperature: float = 0.3, replay_weight: float = 1.0
                     ) -> list[IterationReport]:
    """Iteration 0: fit on ``base_examples``. Iteration t >= 1: run the search (verify every
    bank hypothesis) on the pairs of ``search_rounds[t-1]``, append its winners to the replay
    set, refit on base + all replayed records. After each fit, measure recall against the
    search on ``heldout`` pairs (searched once, never replayed).

    The searched records become targets spread over the search's top winners (softmax of
    |validity| / ``temperature``), each weighing ``replay_weight`` forward samples: the
    recall measured is of the search's top winners, not only its first, and many records
    with sharp targets on one winner each pulled the ranking away from the rest."""
    encoder = encoder or default_encoder()
    say = log or (lambda m: None)
    hyps = list(bank)
    held_search = [verify_all(hyps, a, b, judge) for a, b in heldout]
    records: list[ReplayRecord] = []
    reports = []
    for t in range(len(search_rounds) + 1):
        if t > 0:
            new = [record_from_search(verify_all(hyps, a, b, judge), a, b, encoder,
                                      origin=f"search:round{t}")
                   for a, b in search_rounds[t - 1]]
            records += new
            if replay_path is not None:
                append_replay(replay_path, new)
        rex, rh = replay_examples(records, temperature=temperature, weight=replay_weight)
        model = fit(list(base_examples) + rex, rh)
        rec, top1 = recall_vs_search(model, heldout, held_search, k)
        reports.append(IterationReport(t, len(records), rec, top1, len(heldout), k))
        say(reports[-1])
    return reports
