"""The HTML page of a distillation report (``wordlens report student/report.json``):
agreement of the student with its teacher, and speed."""

from __future__ import annotations

from ..htmlpage import e, num, page, table
from .display import speed
from .result import DistillReport


def render_distill_html(r: DistillReport) -> str:
    """The whole page as one string."""
    rows, names = [], []
    for label, a in (("seen hypotheses", r.seen_hypotheses),
                     ("unseen hypotheses", r.unseen_hypotheses), ("all", r.all_heldout)):
        if a is None:
            continue
        names.append(label)
        rows.append([f"{label} ({a.n_hypotheses})", a.n_pairs, num(a.accuracy),
                     num(a.majority_baseline), num(a.balanced_accuracy), num(a.cohen_kappa),
                     num(a.spearman), num(a.ece)])
    agree = table(["held-out set (hypotheses)", "pairs", "accuracy", "majority", "bal. acc.",
                   "kappa", "rho", "ECE"], rows, text_columns=(0,))
    tp = r.throughput or {}
    rate = (f"<p>Judgments per second on a {e(str(tp.get('shape')))} matrix: teacher "
            f"{tp.get('teacher', 0):,.0f}; student {tp.get('student_cold', 0):,.0f} cold, "
            f"{tp.get('student_warm', 0):,.0f} warm. <b>The student is "
            f"{e(speed(tp, 'student_cold'))} than the teacher cold, "
            f"{e(speed(tp, 'student_warm'))} warm.</b></p>" if tp else "")
    worst = [h for h in r.per_hypothesis if h.get("accuracy", 1.0) < 1.0][:10]
    least = table(["agreement", "in training", "hypothesis"],
                  [[num(h["accuracy"], ".2f"), "seen" if h.get("seen_in_training") else "unseen",
                    h["hypothesis"]] for h in worst], text_columns=(2,), css_class="narrow") \
        if worst else \
        "<p>Full agreement on every hypothesis.</p>"
    calls = r.teacher_calls
    notes = "".join(f"<li>{e(n)}</li>" for n in r.notes)
    body = (f"<h1>Student vs teacher</h1>"
            f"<p>Teacher: <b>{e(str(r.teacher.get('name')))}</b>. Student: "
            f"{e(str(r.student.get('name', r.student.get('kind', 'student'))))}. Teacher "
            f"calls: {calls.get('training', 0)} training (budget {r.budget}), "
            f"{calls.get('calibration', 0)} calibration, {calls.get('evaluation', 0)} "
            f"evaluation.</p>"
            f"<h2>Agreement on held-out texts (never used in training)</h2>{agree}"
            f"<h2>Speed</h2>{rate or '<p>not measured</p>'}"
            f"<h2>Least agreement</h2>{least}"
            f"<h2>Notes</h2><ul>{notes or '<li>none</li>'}</ul>")
    return page(f"wordlens distill: {r.teacher.get('name')}", body)
