"""Coverage of the whole amortized verification (active method), looks included, by simulation.

`scripts/sim_ppi.py` checks the PPI interval at a fixed number of labels. Here each draw runs
`verify_amortized` itself on synthetic data. There are 60 hypotheses on ``--n-texts``
validation texts per side, and each hypothesis has its own teacher rates on A and B: a third
are null (equal rates) and the rest differ by 0.05 to 0.3. ``--student``: ``random``
(unrelated to the teacher), ``yes-biased`` (flips 30 % and leans yes) or ``good`` (flips 3 %).
Later looks go to undecided hypotheses, so each hypothesis' sample size depends on its
earlier labels. The script reports:

- how often the 95 % interval covers the true teacher validity (the difference of the rates
  the texts were drawn with), over every hypothesis and over those given more than the
  floor at every look;
- the share of null hypotheses called significant (after Benjamini-Hochberg);
- the share of whole null runs (every hypothesis null) with any significant finding.

    python scripts/sim_amortized.py --draws 100 --student good
    python scripts/sim_amortized.py --draws 1000 --hypotheses 20 --n-texts 150 \
        --student random --ratio 0.1 0.05 0.025 --out benchmarks/sim_amortized_random.json
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.stats import benjamini_hochberg
from wordlens.validation import AmortizedPlan, verify_amortized


class TableJudge(Judge):
    """Judgments looked up in a table: row = hypothesis index, column = text index."""

    name = "table"

    def __init__(self, table: dict[str, np.ndarray], hyp_index: dict[str, int]):
        super().__init__()
        self.table, self.hyp_index = table, hyp_index

    def judge_matrix(self, hypotheses, texts):
        rows = [self.hyp_index[h.text] for h in hypotheses]
        return np.stack([self.table[t][rows] for t in texts], axis=1)


STUDENTS = {  # (flip rate, yes-bias); "random": judgments unrelated to the teacher's
    "random": None, "yes-biased": (0.3, 0.15), "good": (0.03, 0.0)}


def student_says(rng, y: np.ndarray, kind: str) -> np.ndarray:
    """The student's judgments of one text for every hypothesis, given the teacher's."""
    if STUDENTS[kind] is None:
        return rng.uniform(size=y.size)
    flip_rate, bias = STUDENTS[kind]
    f = np.where(rng.uniform(size=y.size) < flip_rate, 1 - y, y)
    return np.clip(0.8 * f + 0.1 + bias + rng.normal(0, 0.05, y.size), 0, 1)


def draw(rng, args, null_run: bool):
    n_h, n = args.hypotheses, args.n_texts
    base = rng.uniform(0.1, 0.5, n_h)
    effect = rng.choice([0.0, 0.05, 0.1, 0.2, 0.3], n_h, p=[1 / 3] + [1 / 6] * 4)
    if null_run:
        effect[:] = 0.0
    sign = rng.choice([-1.0, 1.0], n_h)
    p_a, p_b = np.clip(base + sign * effect / 2, 0, 1), np.clip(base - sign * effect / 2, 0, 1)
    hyps = [Hypothesis(f"h{i}") for i in range(n_h)]
    index = {h.text: i for i, h in enumerate(hyps)}
    teacher, student = {}, {}
    for side, p in (("a", p_a), ("b", p_b)):
        for j in range(n):
            y = (rng.uniform(size=n_h) < p).astype(float)
            f = student_says(rng, y, args.student)
            teacher[f"{side}{j}"], student[f"{side}{j}"] = y, f
    a = [f"a{j}" for j in range(n)]
    b = [f"b{j}" for j in range(n)]
    return hyps, a, b, TableJudge(teacher, index), TableJudge(student, index), p_a - p_b


def plan_field(kv: str) -> tuple[str, object]:
    """``FIELD=VALUE`` as an AmortizedPlan keyword (an int, a float or a string)."""
    key, _, value = kv.partition("=")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, value


def simulate(args, ratio: float, student: str) -> dict:
    """Run ``args.draws`` draws at one budget ratio and student; the summary as a dict."""
    args.student = student
    rng = np.random.default_rng(args.seed)
    cover = cover_top = n_top = n_all = 0
    null_sig = null_n = 0
    null_runs_with_finding = 0
    budget = int(ratio * args.hypotheses * 2 * args.n_texts)
    started = time.perf_counter()
    for d in range(args.draws):
        null_run = d % 4 == 3  # every fourth draw: all hypotheses null
        hyps, a, b, teacher, stud, truth = draw(rng, args, null_run)
        ver = verify_amortized(hyps, a, b, teacher, train_texts=[],
                               plan=AmortizedPlan(budget=budget, student=stud, seed=d,
                                                  features="student", method="active",
                                                  **args.plan),
                               top_k=10)
        q = benjamini_hochberg([s.p_value for s in ver.stats])
        for h, s, det, qi in zip(ver.hypotheses, ver.stats, ver.details, q):
            t = truth[int(h.text[1:])]
            hit = s.ci_low <= t <= s.ci_high
            cover += hit
            n_all += 1
            if det["label_rounds"] > 1:
                cover_top += hit
                n_top += 1
            if t == 0:
                null_n += 1
                null_sig += qi < 0.05
        if null_run:
            null_runs_with_finding += bool((q < 0.05).any())
    n_null_runs = args.draws // 4
    return {"student": student, "ratio": ratio, "budget": budget, "draws": args.draws,
            "hypotheses": args.hypotheses, "n_texts_per_side": args.n_texts,
            "plan": args.plan, "coverage": cover / n_all, "intervals": n_all,
            "null_significant_share": null_sig / max(null_n, 1), "null_hypotheses": null_n,
            "null_runs": n_null_runs, "null_runs_with_finding": null_runs_with_finding,
            "null_runs_with_finding_share": null_runs_with_finding / max(n_null_runs, 1),
            "seconds": round(time.perf_counter() - started, 1)}


def report(r: dict) -> None:
    """Print one setting's summary."""
    print(f"{r['draws']} draws, {r['hypotheses']} hypotheses, {r['n_texts_per_side']} texts a "
          f"side, budget {r['budget']} teacher labels ({r['ratio']:.1%}), {r['student']} "
          f"student: coverage {r['coverage']:.1%} ({r['intervals']}); null hypotheses "
          f"significant {r['null_significant_share']:.2%}; all-null runs with a finding "
          f"{r['null_runs_with_finding']} of {r['null_runs']}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--hypotheses", type=int, default=60)
    ap.add_argument("--n-texts", type=int, default=300)
    ap.add_argument("--ratio", type=float, nargs="+", default=[0.1],
                    help="teacher budget / exhaustive (several: one run each)")
    ap.add_argument("--student", choices=sorted(STUDENTS), nargs="+", default=["yes-biased"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plan", nargs="*", default=[], metavar="FIELD=VALUE",
                    help="other AmortizedPlan fields, e.g. looks=3 model_floor=0")
    ap.add_argument("--out", help="write the summaries as JSON here")
    args = ap.parse_args(argv)
    args.plan = dict(plan_field(kv) for kv in args.plan)
    results = []
    for student in args.student:
        for ratio in args.ratio:
            results.append(simulate(args, ratio, student))
            report(results[-1])
            if args.out:
                with open(args.out, "w") as fh:
                    json.dump({"script": "scripts/sim_amortized.py", "method": "active",
                               "results": results}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
