"""Terminal rendering of a distillation report (plain text)."""

from __future__ import annotations

from .result import DistillReport


def format_report(r: DistillReport, top: int = 5) -> str:
    """A plain-text summary for the terminal."""
    lines = [f"teacher: {r.teacher.get('name')}",
             f"teacher calls: {r.teacher_calls.get('training', 0)} training (budget "
             f"{r.budget}), {r.teacher_calls.get('calibration', 0)} calibration, "
             f"{r.teacher_calls.get('evaluation', 0)} evaluation",
             "held-out pairs (texts never used in training):",
             f"  {'set':<28}{'pairs':>7}{'acc':>7}{'major.':>7}{'bal.acc':>8}{'kappa':>7}"
             f"{'rho':>7}{'ECE':>7}"]
    for label, a in (("seen hypotheses", r.seen_hypotheses),
                     ("unseen hypotheses", r.unseen_hypotheses), ("all", r.all_heldout)):
        if a is None:
            continue
        lines.append(f"  {label + f' ({a.n_hypotheses} h)':<28}{a.n_pairs:>7}"
                     f"{_f(a.accuracy)}{_f(a.majority_baseline)}{_f(a.balanced_accuracy, 8)}"
                     f"{_f(a.cohen_kappa)}{_f(a.spearman)}{_f(a.ece)}")
    tp = r.throughput
    if tp:
        lines.append(f"throughput (judgments/s): teacher {tp.get('teacher', 0):,.0f}; student "
                     f"{tp.get('student_cold', 0):,.0f} cold (nothing cached), "
                     f"{tp.get('student_warm', 0):,.0f} warm (hypotheses encoded, texts new) "
                     f"on a {tp.get('shape')} matrix")
        lines.append(f"speed: the student is {speed(tp, 'student_cold')} than the teacher "
                     f"cold, {speed(tp, 'student_warm')} warm")
        if tp.get("disk_cache"):
            lines.append("note: the disk cache was on, so the teacher may have read encodings "
                         "from earlier runs; for timings set WORDLENS_NO_CACHE=1 (or run "
                         "scripts/bench_distill.py)")
    worst = [h for h in r.per_hypothesis if h["accuracy"] < 1.0][:top]
    if worst:
        lines.append("least agreement:")
        lines += [f"  {h['accuracy']:.2f}  {'seen  ' if h['seen_in_training'] else 'unseen'} "
                  f"{h['hypothesis']}" for h in worst]
    lines += [f"note: {n}" for n in r.notes]
    return "\n".join(lines)


def speed(tp: dict, student: str) -> str:
    """How much faster (or slower) the student is, from the judgments/s shown beside it."""
    t, s = tp.get("teacher") or 0.0, tp.get(student) or 0.0
    if not (t > 0 and s > 0):
        return "not measured as faster or slower"
    r = s / t
    if r >= 1:
        return f"{r:,.0f}x faster" if r >= 10 else f"{r:.1f}x faster"
    return f"{1 / r:,.0f}x slower" if r <= 0.1 else f"{1 / r:.1f}x slower"


def _f(x: float, w: int = 7) -> str:
    return f"{x:>{w}.3f}" if x == x else f"{'-':>{w}}"
