"""Partition the texts of a run into groups: k-means on sentence embeddings, or a field.

Clustering never sees which corpus a text came from, so comparing the groups' shares in A
and B afterwards is a valid test. K-means is fitted on the proposal texts of both corpora
(A and B pooled) and every text is assigned to its nearest centre, so the validation texts,
on which every statistic is measured, play no part in forming the groups.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import InputError

#: K tried by ``auto``
AUTO_K = (2, 3, 4, 5, 6)
#: with ``auto`` every cluster must hold at least this share of the clustered texts
MIN_CLUSTER_SHARE = 0.05
#: at most this many field values become groups; the rarest others are merged
MAX_FIELD_GROUPS = 12
#: silhouette is computed on at most this many texts (seeded sample)
SILHOUETTE_SAMPLE = 2000


@dataclass(frozen=True)
class DecomposeSpec:
    """What ``--decompose`` asked for: ``auto``, a fixed K, or ``field:NAME``."""

    mode: str  # "auto" | "k" | "field"
    k: int | None = None
    field: str | None = None

    @classmethod
    def parse(cls, spec: str | int | DecomposeSpec) -> DecomposeSpec:
        if isinstance(spec, DecomposeSpec):
            return spec
        s = str(spec).strip()
        if s == "auto":
            return cls("auto")
        if s.startswith("field:") and len(s) > len("field:"):
            return cls("field", field=s[len("field:"):])
        if s.isdigit() and 2 <= int(s) <= 50:
            return cls("k", k=int(s))
        raise InputError(f"--decompose {spec!r}: expected auto, a number of groups K (2-50) "
                         "or field:NAME")

    def __str__(self) -> str:
        return {"auto": "auto", "k": str(self.k), "field": f"field:{self.field}"}[self.mode]


@dataclass
class Partition:
    """Group labels of the proposal and validation texts of A and B, and how they were made."""

    proposal_a: np.ndarray
    proposal_b: np.ndarray
    validation_a: np.ndarray
    validation_b: np.ndarray
    names: list[str]
    method: dict[str, Any] = field(default_factory=dict)

    @property
    def n_groups(self) -> int:
        return len(self.names)


def cluster_partition(proposal_a: Sequence[str], proposal_b: Sequence[str],
                      validation_a: Sequence[str], validation_b: Sequence[str],
                      spec: DecomposeSpec, *, encoder=None, seed: int = 0) -> Partition:
    """K-means groups (K fixed, or chosen by silhouette over :data:`AUTO_K`)."""
    from sklearn.cluster import KMeans

    if encoder is None:
        from ...encoders import default_encoder

        encoder = default_encoder()
    fit_x = encoder.encode(list(proposal_a) + list(proposal_b))
    ks = [spec.k] if spec.mode == "k" else [k for k in AUTO_K if k < len(fit_x)]
    scores: dict[int, float | None] = {}
    best: tuple[float, int, Any] | None = None
    for k in ks:
        km = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(fit_x)
        sizes = np.bincount(km.labels_, minlength=k)
        if spec.mode == "auto" and sizes.min() < MIN_CLUSTER_SHARE * len(fit_x):
            scores[k] = None  # a cluster too small to be a group
            continue
        s = _silhouette(fit_x, km.labels_, seed) if spec.mode == "auto" else float("nan")
        scores[k] = None if s != s else round(s, 4)
        if best is None or (s == s and s > best[0]):
            best = (s, k, km)
    if best is None:
        raise InputError("--decompose auto: no K in 2-6 gives clusters that each hold at "
                         f"least {MIN_CLUSTER_SHARE:.0%} of the texts; give K or field:NAME")
    _, k, km = best
    n_a = len(proposal_a)
    labels = km.labels_
    method = {"kind": "kmeans", "spec": str(spec), "k": k, "fitted_on": "proposal texts of A "
              "and B pooled", "encoder": encoder.name}
    if spec.mode == "auto":
        method.update(criterion=f"highest silhouette (cosine) over K = 2..6, each cluster "
                                f">= {MIN_CLUSTER_SHARE:.0%} of the texts",
                      silhouette={str(kk): v for kk, v in scores.items()})
    va = km.predict(encoder.encode(list(validation_a))) if validation_a else np.zeros(0, int)
    vb = km.predict(encoder.encode(list(validation_b))) if validation_b else np.zeros(0, int)
    return Partition(labels[:n_a], labels[n_a:], np.asarray(va), np.asarray(vb),
                     [f"group {i + 1}" for i in range(k)], method)


def _silhouette(x: np.ndarray, labels: np.ndarray, seed: int) -> float:
    from sklearn.metrics import silhouette_score

    n = min(len(x), SILHOUETTE_SAMPLE)
    return float(silhouette_score(x, labels, metric="cosine", sample_size=n,
                                  random_state=seed))


def field_partition(texts_a: Sequence[str], values_a: Sequence[Any], texts_b: Sequence[str],
                    values_b: Sequence[Any], proposal_a: Sequence[str],
                    proposal_b: Sequence[str], validation_a: Sequence[str],
                    validation_b: Sequence[str], name: str) -> Partition:
    """Groups by the value of a metadata field. Each corpus' texts are matched to their rows by
    text (identical texts are interchangeable, so which copy gets which value does not
    matter)."""
    la = _labeler(texts_a, values_a)
    lb = _labeler(texts_b, values_b)
    pa, va = [la(t) for t in proposal_a], [la(t) for t in validation_a]
    pb, vb = [lb(t) for t in proposal_b], [lb(t) for t in validation_b]
    counts = Counter(pa + va + pb + vb)
    if len(counts) < 2:
        raise InputError(f"--decompose field:{name}: the field has a single value "
                         f"({next(iter(counts))!r}); nothing to decompose")
    keep = [v for v, _ in counts.most_common()]
    merged = len(keep) > MAX_FIELD_GROUPS
    if merged:
        keep = keep[:MAX_FIELD_GROUPS - 1]
    names = sorted(keep) + (["(other)"] if merged else [])
    index = {v: i for i, v in enumerate(names)}
    other = len(names) - 1

    def ids(vals: list[str]) -> np.ndarray:
        return np.array([index.get(v, other) for v in vals], dtype=int)

    method = {"kind": "field", "spec": f"field:{name}", "field": name, "k": len(names)}
    if merged:
        method["merged"] = (f"{len(counts) - len(keep)} rarest values merged into '(other)' "
                            f"(at most {MAX_FIELD_GROUPS} groups)")
    return Partition(ids(pa), ids(pb), ids(va), ids(vb), names, method)


def _labeler(texts: Sequence[str], values: Sequence[Any]):
    queues: dict[str, deque[str]] = {}
    for t, v in zip(texts, values):
        queues.setdefault(t, deque()).append(_value_name(v))

    def label(t: str) -> str:
        q = queues[t]
        return q.popleft() if len(q) > 1 else q[0]

    return label


def _value_name(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "(missing)"
    return v if isinstance(v, str) else str(v)
