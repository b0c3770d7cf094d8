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
from .inputs import ExplainInputs, from_model, make_inputs
from .metrics import surrogate_metrics
from .result import ExplainResult, HypothesisRow, TargetExplanation
from .search import SELECTIONS, expand_phrase, judge_columns, propose_for_predictions, select
from .spurious import check_data_flags, task_flags
from .surrogate import HypothesisClassifier, cross_fit_proba

MIN_TEXTS = 20


def explain(texts: Any, predictions: Any = None, labels: Any = None, *, model: Any = None,
            judge: Judge | None = None, proposer: Proposer | None = None,
            hypotheses: Sequence[str | Hypothesis] | None = None, max_hypotheses: int = 5,
            selection: str = "forward", proposal_fraction: float = 0.5,
            max_texts: int | None = None, n_splits: int = 5,
            check: tuple[Sequence[str], Any] | None = None, check_name: str = "check data",
            task: str | None = None, unlabeled: Sequence[str] | None = None,
            unlabeled_predictions: Any = None, positive: Any = None, seed: int = 0,
            alpha: float = 0.05, log: Callable[[str], None] | None = None) -> ExplainResult:
    """Explain what a classifier predicts with a few natural-language hypotheses.

    Give ``texts`` with the classifier's ``predictions`` (labels, positive-class scores or a
    probability matrix), or ``model`` (scikit-learn-style or a callable), or an
    :class:`ExplainInputs`; ``labels`` are optional gold labels. Hypotheses are proposed and
    selected on one seeded part of the texts and measured on the rest. ``check`` = (texts,
    gold labels) of a second labelled set for spurious-cue flags; ``task`` = what the label
    should mean; ``unlabeled`` = new texts on which to describe classifier/surrogate
    disagreement. Multi-class problems are explained one class vs the rest.
    """
    say = log or (lambda m: None)
    t0 = time.perf_counter()
    data = _inputs(texts, predictions, labels, model, positive)
    if not 0 < proposal_fraction < 1:
        raise InputError(f"proposal_fraction must be between 0 and 1, got {proposal_fraction}")
    if selection not in SELECTIONS:
        raise InputError(f"selection: unknown method {selection!r}; choose from "
                         f"{', '.join(SELECTIONS)}")
    if max_hypotheses < 1:
        raise InputError(f"max_hypotheses must be at least 1, got {max_hypotheses}")
    rng = np.random.default_rng(seed)
    if max_texts is not None and len(data) > max_texts:
        data = data.subset(sample_indices(len(data), max_texts, rng))
    if len(data) < MIN_TEXTS:
        raise InputError(f"{data.source}: {len(data)} texts; explain needs at least "
                         f"{MIN_TEXTS} (part to propose, part to measure)")
    prop_idx, eval_idx = _split(data, proposal_fraction, rng)
    from ..judges.offline import OfflineJudge
    from ..proposers.offline import OfflineProposer

    judge = judge if judge is not None else OfflineJudge()
    given = as_hypotheses(hypotheses) if hypotheses is not None else None
    proposer = None if given is not None else (proposer or OfflineProposer(judge=judge))
    targets = [data.positive] if data.is_binary else list(data.classes)
    explanations, flags, surrogates = [], [], []
    for target in targets:
        say(f"explaining class {target!r}")
        ex, hyps, flg, sur = _explain_target(
            data, target, prop_idx, eval_idx, judge, proposer, given, max_hypotheses,
            selection, n_splits, check, check_name, task, seed, alpha, say)
        explanations.append(ex)
        flags.extend(flg)
        surrogates.append(sur)
    result = ExplainResult(
        explanations=explanations, classes=[_plain(c) for c in data.classes],
        positive=_plain(data.positive),
        task="binary" if data.is_binary else "one-vs-rest",
        data={"source": data.source, "n_texts": len(data), "n_proposal": len(prop_idx),
              "n_eval": len(eval_idx), "has_gold": data.labels is not None,
              "has_scores": data.scores is not None,
              "check": check_name if check is not None else None},
        settings={"max_hypotheses": max_hypotheses, "selection": selection,
                  "proposal_fraction": proposal_fraction, "n_splits": n_splits,
                  "max_texts": max_texts, "seed": seed, "alpha": alpha, "task": task},
        judge=judge.describe(),
        proposer={"name": "given by the user"} if proposer is None else proposer.describe(),
        flags=flags, notes=_notes(judge, task), wordlens_version=__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    result.surrogate_ = surrogates[0] if len(surrogates) == 1 else surrogates
    if unlabeled is not None:
        from .unlabeled import describe_disagreement

        if not data.is_binary:
            raise InputError("--unlabeled: supported for binary classifiers only")
        u_pred = _unlabeled_predictions(unlabeled, unlabeled_predictions, model, data)
        result.unlabeled = describe_disagreement(unlabeled, u_pred, surrogates[0], judge=judge,
                                                 seed=seed)
    result.timing = {"total_s": round(time.perf_counter() - t0, 3)}
    return result


def _explain_target(data: ExplainInputs, target: Any, prop_idx, eval_idx, judge, proposer,
                    given, k, selection, n_splits, check, check_name, task, seed, alpha, say):
    b = data.one_vs_rest(target)
    prop, ev = b.subset(prop_idx), b.subset(eval_idx)
    if given is not None:
        cands = given
    else:
        with phase("proposing") as ph:
            cands = propose_for_predictions(prop.texts, prop.predictions, proposer, seed=seed)
            ph.done(f"{len(cands)} candidates")
    say(f"{len(cands)} candidate hypotheses; selecting up to {k}")
    with phase(f"judging {len(cands)} candidates") as ph:
        J_prop = judge_columns(judge, cands, prop.texts)
        ph.done(f"{len(prop.texts)} texts")
    sel = select(J_prop, prop.predictions, cands, k=k, method=selection, seed=seed)
    hyps = [expand_phrase(h, prop.texts) for h in sel.hypotheses]
    J = judge_columns(judge, hyps, ev.texts)
    f = np.asarray(ev.predictions).astype(int)
    gold = None if ev.labels is None else np.asarray(ev.labels).astype(int)
    curve = []
    with phase("% explained curve", total=len(hyps), unit="hypotheses") as ph:
        for m in range(1, len(hyps) + 1):
            oof = cross_fit_proba(J[:, :m], f, n_splits=n_splits, seed=seed)
            row = {"n_hypotheses": m, "added": hyps[m - 1].text}
            row.update(surrogate_metrics(oof, f, gold, ev.scores))
            curve.append(row)
            ph.advance()
    sur = HypothesisClassifier(hyps, judge).fit_judgments(J, f) if hyps else None
    weights = sur.model_.coef_[0] if sur is not None and sur.model_ is not None else \
        np.zeros(len(hyps))
    rows = [_row(i, h, J[:, i], f, gold, float(weights[i]), ev.texts)
            for i, h in enumerate(hyps)]
    flags = []
    if check is not None:
        c_texts, c_gold = check
        c01 = (np.asarray(c_gold, dtype=object) == target).astype(int)
        flags += check_data_flags(rows, hyps, judge, c_texts, c01, target=_plain(target),
                                  check_name=check_name, alpha=alpha)
    if task:
        flags += task_flags(rows, hyps, judge, task, target=_plain(target), alpha=alpha)
    overall = dict(curve[-1]) if curve else surrogate_metrics(
        cross_fit_proba(np.zeros((len(f), 0)), f), f, gold, ev.scores)
    overall.pop("added", None)
    ex = TargetExplanation(
        target=_plain(target), hypotheses=rows, curve=curve, overall=overall,
        n_candidates=sel.n_candidates,
        selection_fidelity=[round(x, 4) for x in sel.fidelity_trace],
        surrogate=sur.to_dict() if sur is not None else {},
        surrogate_text=sur.describe() if sur is not None else "")
    return ex, hyps, flags, sur


def _row(i: int, h: Hypothesis, j: np.ndarray, f: np.ndarray, gold: np.ndarray | None,
         weight: float, texts: list[str]) -> HypothesisRow:
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
        drive_p=float(st.p_value) if st else 1.0, gold_link=link, examples=examples)


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


def _split(data: ExplainInputs, fraction: float, rng: np.random.Generator):
    """Seeded split, stratified by the classifier's prediction."""
    prop, ev = [], []
    for c in data.classes:
        idx = np.flatnonzero(data.predictions == c)
        idx = rng.permutation(idx)
        k = int(round(len(idx) * fraction))
        prop.extend(idx[:k])
        ev.extend(idx[k:])
    return np.sort(np.asarray(prop, dtype=int)), np.sort(np.asarray(ev, dtype=int))


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
    notes = ["Hypotheses are proposed and selected on one part of the texts; every metric is "
             "measured on the other part (evaluation texts) with cross-fitted surrogate scores."]
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
