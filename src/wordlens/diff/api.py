"""`diff`: describe how two corpora differ, end to end: read the corpora, draw the run's one
seeded split, run the pipeline (:func:`~wordlens.diff.pipeline.diff_split`), then decompose
when asked (:mod:`wordlens.diff.decompose`, which runs its sub-comparisons through the same
pipeline)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..corpus import Corpus, as_corpus
from ..errors import InputError
from ..progress import reports_progress
from ..result import DiffResult
from ..split import Split
from .config import DiffConfig
from .decompose import DecomposeSpec, check_partition, decompose_split
from .pipeline import MIN_TEXTS, diff_split

__all__ = ["diff"]


@reports_progress
def diff(a: Any, b: Any = None, config: DiffConfig | None = None, *, progress: bool = False,
         log: Callable[[str], None] | None = None, **options: Any) -> DiffResult:
    """Find natural-language hypotheses that hold more often in ``a`` than ``b`` or vice versa.

    ``a`` and ``b`` are paths, lists of strings or pandas Series. The settings are a
    :class:`~wordlens.DiffConfig` (``config``), keywords naming its fields (``goal=``,
    ``judge=``, ``seed=``, ...; they replace the config's), or both. Hypotheses are proposed
    from one seeded part of each corpus and verified on the other, so their statistics are
    measured on texts the proposer never saw. Pass ``hypotheses`` to skip proposing and test
    your own. The texts used are on the result as ``result.split_`` (a
    :class:`~wordlens.Split`). ``progress``: True shows bars (or phase lines) on stderr, or a
    :class:`wordlens.progress.Progress`; ``log`` receives timing lines.

    ``judge_controls`` (default: as the judge's tags say, on for LLM judges) also judges
    control hypotheses that cannot differ and flags findings no larger than the bias they
    show (wordlens.controls). ``decompose`` (``"auto"``, a number of groups K, or
    ``"field:NAME"``) adds ``result.decomposition`` (see :mod:`wordlens.diff.decompose`).
    ``fast=True`` trades some accuracy of the zero-shot judgments for speed on large corpora
    (the result's notes say what); ``engine`` (``"inprocess"``, ``"ray"`` or a
    :class:`wordlens.engine.Engine`) streams verification in batches on that engine, with the
    same ranking, groups and judge controls as in memory. ``verify``: ``"exhaustive"`` or
    ``"amortized"`` (a ``teacher_budget``, a ``student``, prediction-powered inference);
    default: amortized when the judge is expensive. ``paired`` / ``pair_id`` make the
    comparison paired (docs/paired-and-groups.md).
    """
    t0 = time.perf_counter()
    cfg = DiffConfig.of(config, **options)
    cfg.check()
    spec = DecomposeSpec.parse(cfg.decompose) if cfg.decompose is not None else None
    split, (ca, cb) = _draw(a, b, cfg, spec)
    result = diff_split(split, cfg, corpora=(ca, cb), progress=progress, log=log,
                        load_s=time.perf_counter() - t0)
    if spec is not None:
        result.decomposition = decompose_split(result, split, spec, cfg, corpora=(ca, cb),
                                               log=log)
    return result


def _draw(a: Any, b: Any, cfg: DiffConfig, spec: Any) -> tuple[Split, tuple[Corpus, Corpus]]:
    """The corpora and the one seeded split of the run (paired when asked)."""
    if cfg.paired is not None or cfg.pair_id is not None:
        from ..pairs import PairedSplit, load_pairs

        if spec is not None:
            from .paired import DECOMPOSE_REFUSAL

            raise InputError(DECOMPOSE_REFUSAL)
        pairs = load_pairs(a, b, fields=cfg.paired, pair_id=cfg.pair_id,
                           text_field=cfg.text_field, encoding=cfg.encoding)
        split: Split = PairedSplit.draw_pairs(pairs, seed=cfg.seed, max_pairs=cfg.max_texts,
                                              proposal_fraction=cfg.proposal_fraction,
                                              min_pairs=MIN_TEXTS)
        return split, (pairs.corpus_a, pairs.corpus_b)
    extra = (spec.field,) if spec is not None and spec.field else ()
    ca = as_corpus(a, "A", text_field=cfg.text_field, encoding=cfg.encoding,
                   extra_fields=extra)
    cb = as_corpus(b, "B", text_field=cfg.text_field, encoding=cfg.encoding,
                   extra_fields=extra)
    split = Split.draw(ca.texts, cb.texts, seed=cfg.seed,
                       proposal_fraction=cfg.proposal_fraction, max_texts=cfg.max_texts,
                       min_texts=MIN_TEXTS, names=(f"A ({ca.source})", f"B ({cb.source})"))
    if spec is not None:  # a field that cannot partition the texts fails before any work
        check_partition(split, spec, (ca, cb))
    return split, (ca, cb)
