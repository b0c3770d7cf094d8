"""Paired texts: two texts per unit (one prompt answered by two models, two headlines of one
story, a text before and after an edit), loaded from one file with two fields or joined from
two files by an id, and split by pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import Corpus, load_corpus
from .errors import InputError
from .split import Split, sample_indices, split_halves


@dataclass(frozen=True)
class Pairs:
    """Texts ``a[i]`` and ``b[i]`` form pair ``ids[i]``; ``corpus_a`` / ``corpus_b`` name the
    sides (a field, or a file)."""

    a: list[str]
    b: list[str]
    ids: list[str]
    corpus_a: Corpus
    corpus_b: Corpus
    n_dropped: int = 0


@dataclass(frozen=True)
class PairedSplit(Split):
    """A :class:`Split` of pairs: ``proposal_a[i]`` and ``proposal_b[i]`` (likewise
    ``validation_*``) are the two texts of one pair, so a pair lies wholly in the proposal
    or in the validation part."""

    proposal_ids: tuple[str, ...] = ()
    validation_ids: tuple[str, ...] = ()

    @classmethod
    def draw_pairs(cls, pairs: Pairs, *, seed: int = 0, proposal_fraction: float = 0.5,
                   max_pairs: int | None = None, min_pairs: int = 10) -> PairedSplit:
        """Sample at most ``max_pairs`` pairs, then split the pairs (not the texts) into
        proposal and validation parts, from one generator seeded with ``seed``."""
        if not 0 < proposal_fraction < 1:
            raise InputError(f"proposal_fraction must be between 0 and 1, got "
                             f"{proposal_fraction}")
        if max_pairs is not None and max_pairs < 1:
            raise InputError(f"max_texts must be at least 1, got {max_pairs}")
        rng = np.random.default_rng(seed)
        keep = sample_indices(len(pairs.ids), max_pairs, rng)
        if keep.size < min_pairs:
            raise InputError(f"{pairs.corpus_a.source}: {keep.size} pairs; wordlens needs at "
                             f"least {min_pairs} (part to propose, part to verify)")
        a = [pairs.a[i] for i in keep]
        b = [pairs.b[i] for i in keep]
        ids = [pairs.ids[i] for i in keep]
        prop, val = split_halves(len(ids), proposal_fraction, rng)
        return cls(a=a, b=b, proposal_a=[a[i] for i in prop], proposal_b=[b[i] for i in prop],
                   validation_a=[a[i] for i in val], validation_b=[b[i] for i in val],
                   seed=seed, proposal_fraction=proposal_fraction, max_texts=max_pairs,
                   proposal_ids=tuple(ids[i] for i in prop),
                   validation_ids=tuple(ids[i] for i in val))


def load_pairs(a: str | Path, b: str | Path | None = None, *,
               fields: Sequence[str] | None = None, pair_id: str | None = None,
               text_field: str | None = None, encoding: str = "utf-8") -> Pairs:
    """Pairs from one file with two text fields (``fields``: A's, B's), or from two files
    joined by ``pair_id`` (text fields: ``fields`` or ``text_field`` or the usual guess).

    Ids missing on one side or repeated within a file are an :class:`InputError`; a pair with
    a blank text is dropped and counted (``n_dropped``).
    """
    if b is None:
        if not fields or len(fields) != 2:
            raise InputError("--paired needs two fields of the file: --paired A_FIELD B_FIELD")
        return _one_file(Path(a), fields[0], fields[1], pair_id, encoding)
    if pair_id is None:
        raise InputError("paired comparison of two files needs --pair-id FIELD to join them")
    fa, fb = (fields[0], fields[1]) if fields else (text_field, text_field)
    ca = load_corpus(a, text_field=fa, encoding=encoding, extra_fields=(pair_id,))
    cb = load_corpus(b, text_field=fb, encoding=encoding, extra_fields=(pair_id,))
    ids_a = _unique_ids(ca, pair_id)
    ids_b = _unique_ids(cb, pair_id)
    index_b = {k: i for i, k in enumerate(ids_b)}
    _check_join(ca.source, ids_a, cb.source, ids_b, pair_id)
    texts_b = [cb.texts[index_b[k]] for k in ids_a]
    dropped = abs(ca.n_blank_dropped - cb.n_blank_dropped)
    return Pairs(list(ca.texts), texts_b, ids_a, ca, cb, n_dropped=dropped)


def _one_file(path: Path, fa: str, fb: str, pair_id: str | None, encoding: str) -> Pairs:
    if fa == fb:
        raise InputError(f"--paired: the two fields are the same ({fa!r})")
    extra = (fb,) + ((pair_id,) if pair_id else ())
    ca = load_corpus(path, text_field=fa, encoding=encoding, extra_fields=extra)
    a, b, ids, dropped = [], [], [], ca.n_blank_dropped
    raw_ids = _unique_ids(ca, pair_id) if pair_id else [str(i + 1) for i in range(len(ca))]
    for i, (ta, tb) in enumerate(zip(ca.texts, ca.extra[fb])):
        if tb is None or (isinstance(tb, float) and tb != tb) or (
                isinstance(tb, str) and not tb.strip()):
            dropped += 1
            continue
        if not isinstance(tb, str):
            raise InputError(f"{path}: pair {raw_ids[i]}: field {fb!r} is "
                             f"{type(tb).__name__}, expected text")
        a.append(ta)
        b.append(tb)
        ids.append(raw_ids[i])
    if not ids:
        raise InputError(f"{path}: no pair has both {fa!r} and {fb!r}")
    src = str(path)
    return Pairs(a, b, ids, Corpus(fa, a, src, dropped), Corpus(fb, b, src, dropped),
                 n_dropped=dropped)


def _unique_ids(c: Corpus, pair_id: str) -> list[str]:
    ids = [_id_text(v) for v in c.extra[pair_id]]
    dup = [k for k, n in Counter(ids).items() if n > 1]
    if dup:
        raise InputError(f"{c.source}: pair id field {pair_id!r}: {len(dup)} id(s) occur more "
                         f"than once, e.g. {dup[0]!r}")
    return ids


def _id_text(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _check_join(src_a: str, ids_a: list[str], src_b: str, ids_b: list[str],
                pair_id: str) -> None:
    sa, sb = set(ids_a), set(ids_b)
    for src, mine, other, other_src in ((src_a, ids_a, sb, src_b), (src_b, ids_b, sa, src_a)):
        missing = [k for k in mine if k not in other]
        if missing:
            raise InputError(f"{other_src}: {len(missing)} pair id(s) of {src} are missing "
                             f"(field {pair_id!r}), e.g. {missing[0]!r}")
