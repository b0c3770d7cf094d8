"""`explain`: hypotheses that explain a classifier's predictions, a surrogate built only from
their judgments, "% of performance explained", and spurious-cue flags."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import InputError
from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..progress import phase
from ..proposers.base import Proposer
from ..split import sample_indices
from ..stats import compare
from ..textutil import truncate
from ..version import __version__
from .candidates import label_free_pool
from .fitting import Judgments, choose, cross_fitted_curve, flattens_at, fold_ids, nested_pruned
from .inputs import ExplainInputs, from_model, make_inputs
from .metrics import surrogate_metrics
from .result import ExplainResult, HypothesisRow, TargetExplanation
from .search import SELECTIONS
from .spurious import check_data_flags, task_flags
from .surrogate import HypothesisClassifier

MIN_TEXTS = 20
#: hypotheses chosen by default: enough for a surrogate to approach the classifier
DEFAULT_MAX_HYPOTHESES = 20


def explain(texts: Any, predictions: Any = None, labels: Any = None, *, model: Any = None,
            judge: Judge | None = None, proposer: Proposer | None = None,
            hypotheses: Sequence[str | Hypothesis] | None = None,
            max_hypotheses: int = DEFAULT_MAX_HYPOTHESES, selection: str = "forward",
            max_texts: int | None = None, n_splits: int = 5, sae: bool = True,
            check: tuple[Sequence[str], Any] | None = None, check_name: str = "check data",
            task: str | None = None, unlabeled: Sequence[str] | None = None,
            unlabeled_predictions: Any = None, positive: Any = None, prune: bool = True,
            seed: int = 0,
            alpha: float = 0.05, log: Callable[[str], None] | None = None) -> ExplainResult:
    """Explain what a classifier predicts with natural-language hypotheses, and build a
    surrogate classifier from their judgments alone.

    Give ``texts`` with the classifier's ``predictions`` (labels, positive-class scores or a
    probability matrix), or ``model`` (scikit-learn-style or a callable), or an
    :class:`ExplainInputs`; ``labels`` are optional gold labels. Candidates: general
    properties, the topic bank, named sparse-autoencoder features (``sae``), contrastive
    keyword groups and phrases, and ``proposer``'s hypotheses when given. Up to
    ``max_hypotheses`` are chosen by forward selection on cross-validated accuracy and the
    surrogate is fitted on all texts; the curve (1..k hypotheses) is cross-fitted over
    ``n_splits`` folds, proposing and selecting inside each fold. ``check`` = (texts, gold
    labels) of a second labelled set for spurious-cue flags; ``task`` = what the label should
    mean; ``unlabeled`` = new texts on which to describe classifier/surrogate disagreement.
    Multi-class problems are explained one class vs the rest.
    """
    say = log or (lambda m: None)
    t0 = time.perf_counter()
    data = _inputs(texts, predictions, labels, model, positive)
    if selection not in SELECTIONS:
        raise InputError(f"selection: unknown method {selection!r}; choose from "
                         f"{', '.join(SELECTIONS)}")
    if max_hypotheses < 1:
        raise InputError(f"max_hypotheses must be at least 1, got {max_hypotheses}")
    if n_splits < 2:
        raise InputError(f"n_splits must be at least 2, got {n_splits}")
    rng = np.random.default_rng(seed)
    if max_texts is not None and len(data) > max_texts:
        data = data.subset(sample_indices(len(data), max_texts, rng))
    if len(data) < MIN_TEXTS:
        raise InputError(f"{data.source}: {len(data)} texts; explain needs at least "
                         f"{MIN_TEXTS}")
    from ..judges.offline import OfflineJudge

    judge = judge if judge is not None else OfflineJudge()
    given = as_hypotheses(hypotheses) if hypotheses is not None else None
    pool = None
    if given is None:
        say("building label-free candidates (properties, topic bank, sparse autoencoder)")
        pool = label_free_pool(data.texts, judge, sae=sae, seed=seed, log=say)
    store = Judgments(judge, data.texts, pool)
    targets = [data.positive] if data.is_binary else list(data.classes)
    explanations, flags, surrogates = [], [], []
    for target in targets:
        say(f"explaining class {target!r}")
        ex, flg, sur = _explain_target(
            data, target, store, pool, judge, proposer, given, max_hypotheses, selection,
            n_splits, check, check_name, task, seed, alpha, say, prune)
        explanations.append(ex)
        flags.extend(flg)
        surrogates.append(sur)
    result = ExplainResult(
        explanations=explanations, classes=[_plain(c) for c in data.classes],
        positive=_plain(data.positive),
        task="binary" if data.is_binary else "one-vs-rest",
        data={"source": data.source, "n_texts": len(data), "n_folds": n_splits,
              "has_gold": data.labels is not None,
              "has_scores": data.scores is not None,
              "check": check_name if check is not None else None},
        settings={"max_hypotheses": max_hypotheses, "selection": selection,
                  "n_splits": n_splits, "sae": sae, "prune": prune, "max_texts": max_texts,
                  "seed": seed,
                  "alpha": alpha, "task": task},
        judge=judge.describe(),
        proposer=_proposer_info(proposer, given),
        flags=flags, notes=_notes(judge, task), wordlens_version=__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    result.surrogate_ = surrogates[0] if len(surrogates) == 1 else surrogates
    if unlabeled is not None:
        from .unlabeled import describe_disagreement

        if not data.is_binary:
            raise InputError("--unlabeled: supported for binary classifiers only")
        u01 = _unlabeled_predictions(unlabeled, unlabeled_predictions, model, data)
        u_pred = [s for s in surrogates[0].classes_[np.asarray(u01).astype(int)]] \
            if len(surrogates[0].classes_) == 2 else u01
        result.unlabeled = describe_disagreement(unlabeled, u_pred, surrogates[0], judge=judge,
                                                 seed=seed)
    result.timing = {"total_s": round(time.perf_counter() - t0, 3)}
    return result


def _proposer_info(proposer: Proposer | None, given) -> dict[str, Any]:
    if given is not None:
        return {"name": "given by the user"}
    info: dict[str, Any] = {"name": "built in (properties + topic bank + sparse autoencoder "
                                    "+ contrastive keyword groups)"}
    if proposer is not None:
        info["extra"] = proposer.describe()
    return info


def _explain_target(data: ExplainInputs, target: Any, store: Judgments, pool, judge: Judge,
                    proposer, given, k, selection, n_splits, check, check_name, task, seed,
                    alpha, say, prune=False):
    b = data.one_vs_rest(target)
    f = np.asarray(b.predictions).astype(int)
    if f.sum() < 2 or (1 - f).sum() < 2:
        raise InputError(f"{data.source}: the classifier predicts the explained class for "
                         f"{int(f.sum())} and another class for {int((1 - f).sum())} texts; "
                         "need at least 2 of each")
    gold = None if b.labels is None else np.asarray(b.labels).astype(int)
    enc = judge.encoder
    kw = {"given": given, "proposer": proposer, "encoder": enc,
          "names": _side_names(data, target),
          # a class lexicon's full list is in its form, read by exact judges only
          "lexicons": not judge.expensive}
    say("choosing hypotheses on all texts")
    with phase("choosing hypotheses") as ph:
        final = choose(np.arange(len(f)), f, store, pool, k=k, method=selection, seed=seed,
                       **kw)
        ph.done(f"{len(final.hypotheses)} of {final.n_candidates} candidates")
    hyps = final.hypotheses
    say(f"{final.n_candidates} candidates; {len(hyps)} chosen; cross-fitting the curve")
    with phase("% explained curve (cross-fitted)") as ph:
        oof = cross_fitted_curve(f, store, pool, k=max(len(hyps), 1), method=selection,
                                 n_splits=n_splits, seed=seed, log=say, **kw)
        ph.done(f"{n_splits} folds")
    curve = []
    for m in range(1, len(hyps) + 1):
        row = {"n_hypotheses": m, "added": hyps[m - 1].text}
        row.update(surrogate_metrics(oof[:, m - 1], f, gold, b.scores))
        curve.append(row)
    key = "surrogate_accuracy" if gold is not None else "fidelity"
    flat = flattens_at([c.get(key) for c in curve], len(f))
    # pruned, the surrogate keeps the hypotheses the curve shows are worth it; the rest stay
    # listed (readable context, and checked by --check-data / --task), marked as not in it
    n_kept = flat if prune and flat is not None else len(hyps)
    J = store.matrix(hyps)
    sur = HypothesisClassifier(hyps[:n_kept], judge).fit_judgments(J[:, :n_kept], f) \
        if n_kept else None
    if sur is not None and data.is_binary and len(data.classes) == 2:
        neg = next(c for c in data.classes if c != data.positive)
        # predict the classifier's own labels; column order stays (other, explained)
        sur.classes_ = np.asarray([_plain(neg), _plain(data.positive)], dtype=object)
    weights = np.zeros(len(hyps))
    if sur is not None and sur.model_ is not None:
        weights[:n_kept] = sur.model_.coef_[0]
    rows = [_row(i, h, J[:, i], f, gold, float(weights[i]), data.texts, i < n_kept)
            for i, h in enumerate(hyps)]
    flags = []
    if check is not None:
        c_texts, c_gold = check
        c01 = (np.asarray(c_gold, dtype=object) == target).astype(int)
        flags += check_data_flags(rows, hyps, judge, c_texts, c01, target=_plain(target),
                                  check_name=check_name, alpha=alpha)
    if task:
        flags += task_flags(rows, hyps, judge, task, target=_plain(target), alpha=alpha)
    overall = _overall(curve, oof, f, gold, b.scores, n_kept, n_kept < len(hyps),
                       fold_ids(f, n_splits, seed))
    ex = TargetExplanation(
        target=_plain(target), hypotheses=rows, curve=curve, overall=overall,
        n_candidates=final.n_candidates,
        selection_fidelity=[round(x, 4) for x in final.selection.fidelity_trace],
        surrogate=sur.to_dict() if sur is not None else {},
        surrogate_text=sur.describe() if sur is not None else "",
        flattens_at=flat,
        flattens_by=key,
        candidates=_candidate_counts(pool, final.n_candidates),
        sae=pool.sae.to_dict() if pool is not None and pool.sae is not None else None)
    return ex, flags, sur


def _overall(curve, oof, f, gold, scores, n_kept, pruned, ids) -> dict[str, Any]:
    """The metrics of the surrogate as it is built: its row of the curve, or, when the
    curve pruned it, the pruning repeated out of fold (:func:`nested_pruned`)."""
    if not curve:
        return surrogate_metrics(oof[:, 0], f, gold, scores)
    if not pruned:
        out = dict(curve[n_kept - 1])
        out.pop("added", None)
        return out
    col = nested_pruned(oof, gold if gold is not None else f, ids)
    out = {"n_hypotheses": n_kept}
    out.update(surrogate_metrics(col, f, gold, scores))
    return out


def _side_names(data: ExplainInputs, target: Any) -> tuple[str, str]:
    """How lexicon hypotheses name the explained class and the rest."""
    others = [c for c in data.classes if c != target]
    other = f"class {_plain(others[0])!r}" if len(others) == 1 else "the other classes"
    return f"class {_plain(target)!r}", other


def _candidate_counts(pool, total: int) -> dict[str, int]:
    out = dict(pool.counts()) if pool is not None else {}
    out["mined from the texts' classes (contrastive) or a proposer"] = \
        total - sum(out.values())
    out["total"] = total
    return out


def _row(i: int, h: Hypothesis, j: np.ndarray, f: np.ndarray, gold: np.ndarray | None,
         weight: float, texts: list[str], in_surrogate: bool = True) -> HypothesisRow:
    st = compare(j[f == 1], j[f == 0]) if (f == 1).sum() >= 2 and (f == 0).sum() >= 2 else None
    link = None
    if gold is not None and (gold == 1).sum() >= 1 and (gold == 0).sum() >= 1:
        link = round(float(j[gold == 1].mean() - j[gold == 0].mean()), 4)
    order = np.argsort(-j, kind="stable")
    examples = [truncate(texts[t]) for t in order[:3] if j[t] >= 0.5 and f[t] == 1]
    return HypothesisRow(
        rank=i + 1, hypothesis=h.text, source=h.source,
        form=dict(h.form) if h.form is not None else None, weight=round(weight, 4),
        share_predicted_positive=round(float(j[f == 1].mean()) if (f == 1).any() else 0.0, 4),
        share_predicted_negative=round(float(j[f == 0].mean()) if (f == 0).any() else 0.0, 4),
        drive=round(st.validity, 4) if st else 0.0,
        drive_ci=[round(st.ci_low, 4), round(st.ci_high, 4)] if st else [0.0, 0.0],
        drive_p=float(st.p_value) if st else 1.0, gold_link=link, examples=examples,
        in_surrogate=in_surrogate)


def _inputs(texts, predictions, labels, model, positive) -> ExplainInputs:
    if isinstance(texts, ExplainInputs):
        return texts
    if model is not None:
        if predictions is not None:
            raise InputError("give either predictions or model, not both")
        return from_model(list(texts), model, labels, positive=positive)
    if predictions is None:
        raise InputError("explain needs the classifier's predictions or the model")
    return make_inputs(list(texts), predictions, labels, positive=positive)


def _unlabeled_predictions(texts, preds, model, data: ExplainInputs):
    if preds is not None:
        return make_inputs(list(texts), preds, positive=data.positive).one_vs_rest(
            data.positive).predictions
    if model is None:
        raise InputError("--unlabeled: give the classifier's predictions on the new texts "
                         "(or a model)")
    return from_model(list(texts), model, positive=data.positive).one_vs_rest(
        data.positive).predictions


def _notes(judge: Judge, task: str | None) -> list[str]:
    notes = ["The curve and its metrics are cross-fitted: in each fold, hypotheses are "
             "proposed, selected and fitted on the other folds and scored on this one. The "
             "listed hypotheses, their shares, drive and weights come from all texts (the "
             "texts they were selected on), so their p-values are not corrected for selection."]
    caveat = judge.caveat()
    if caveat:
        notes.append(caveat)
        if task:
            notes.append("--task relevance is read by the offline judge from embedding "
                         "similarity (topical closeness, not meaning); use an LLM judge "
                         "for dependable task flags.")
    return notes


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
