"""Benchmark of `wordlens distill` on shared/datasets: agreement, throughput, diff findings.

Teachers (all offline, all measured in this one run on this machine):
  offline  OfflineJudge: exact features + zero-shot EmbeddingJudge (itself a bi-encoder)
  joint    JointEncodingJudge: one MiniLM pass per (hypothesis, text) pair -- an EXPENSIVE
           stand-in for a cross-encoder/LLM teacher, not a more accurate judge

    python scripts/bench_distill.py [--datasets DIR] [--max-texts 100] [--out bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("WORDLENS_NO_CACHE", "1")  # honest timings: no persistent cache

import numpy as np  # noqa: E402

from wordlens import diff  # noqa: E402
from wordlens.distill import distill, make_student  # noqa: E402
from wordlens.distill.data import load_texts  # noqa: E402
from wordlens.distill.display import format_report  # noqa: E402
from wordlens.encoders import SentenceEncoder  # noqa: E402
from wordlens.hypothesis import Hypothesis  # noqa: E402
from wordlens.judges import JointEncodingJudge, OfflineJudge, StudentJudge  # noqa: E402
from wordlens.judges.embedding import reference_descriptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def pairs(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if (p / "a.jsonl").exists())


def significant(result) -> dict[tuple[str, str], float]:
    return {(h.hypothesis, h.direction): h.validity for h in result.hypotheses if h.significant}


def compare_diffs(name: str, a: Path, b: Path, teacher, student, *, max_texts: int,
                  hypotheses=None) -> dict:
    kw = dict(seed=0, max_texts=max_texts, adaptive=False, hypotheses=hypotheses)
    t0 = time.perf_counter()
    rt = diff(a, b, judge=teacher, **kw)
    t1 = time.perf_counter()
    rs = diff(a, b, judge=student, **kw)
    t2 = time.perf_counter()
    st, ss = significant(rt), significant(rs)
    top_t = [(h.hypothesis, h.direction) for h in rt.hypotheses[:5]]
    return {"pair": name, "n_candidates": len(rt.hypotheses), "teacher_significant": len(st),
            "student_significant": len(ss), "shared": len(set(st) & set(ss)),
            "only_teacher": sorted(f"{d} {h} ({st[(h, d)]:+.2f})" for h, d in set(st) - set(ss)),
            "only_student": sorted(f"{d} {h} ({ss[(h, d)]:+.2f})" for h, d in set(ss) - set(st)),
            "teacher_top5_significant_with_student": sum(k in ss for k in top_t if k in st),
            "teacher_top5_significant": sum(k in st for k in top_t),
            "teacher_verify_s": round(rt.timing["verify_s"], 2),
            "student_verify_s": round(rs.timing["verify_s"], 2),
            "wall_s": [round(t1 - t0, 1), round(t2 - t1, 1)]}


def speed(teacher, student: StudentJudge, hyps: list[Hypothesis], texts: list[str],
          teacher_texts: int, warmup_texts: list[str]) -> dict:
    """Judgments/s of both on fresh texts (never seen by either).

    Student cold: loaded from disk, nothing cached, hypotheses encoded inside the timing.
    Student warm: a student in use -- hypotheses already encoded and its tokenizer cache
    filled by judging *other* texts (``warmup_texts``); the timed texts are still new.
    Teacher: on the first ``teacher_texts`` texts, hypotheses already encoded (it labelled
    the distillation pairs with them).
    """
    cold = StudentJudge.load(student.path_, encoder=SentenceEncoder(cache=False))
    cold.encoder.encode(["load the model before timing"])
    t0 = time.perf_counter()
    cold.judge(hyps, texts)
    s_cold = time.perf_counter() - t0
    warm = StudentJudge.load(student.path_, encoder=SentenceEncoder(cache=False))
    warm.judge(hyps, warmup_texts)
    t0 = time.perf_counter()
    warm.judge(hyps, texts)
    s_warm = time.perf_counter() - t0
    teacher.judge(hyps, warmup_texts[:20])
    t0 = time.perf_counter()
    teacher.judge(hyps, texts[:teacher_texts])
    s_t = time.perf_counter() - t0
    n = len(hyps) * len(texts)
    out = {"shape": f"{len(hyps)}x{len(texts)}", "teacher_pairs": len(hyps) * teacher_texts,
           "teacher_per_s": len(hyps) * teacher_texts / s_t, "student_cold_per_s": n / s_cold,
           "student_warm_per_s": n / s_warm}
    out["ratio_cold"] = out["student_cold_per_s"] / out["teacher_per_s"]
    out["ratio_warm"] = out["student_warm_per_s"] / out["teacher_per_s"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--max-texts", type=int, default=100, help="texts per corpus file")
    ap.add_argument("--budget", type=int, default=3000)
    ap.add_argument("--joint-budget", type=int, default=2000)
    ap.add_argument("--diff-texts", type=int, default=200)
    ap.add_argument("--joint-diff-pairs", type=int, default=2)
    ap.add_argument("--student", choices=("standard", "fast"), default="standard",
                    help="student kind (wordlens distill --student)")
    ap.add_argument("--teachers", default="offline,joint", help="comma-separated")
    ap.add_argument("--speed-texts", type=int, default=12,
                    help="fresh texts per corpus file for the throughput matrix")
    ap.add_argument("--out", type=Path, default=Path("bench_distill.json"))
    ap.add_argument("--work", type=Path, default=Path("bench_distill_students"))
    args = ap.parse_args()

    ps = pairs(args.datasets)
    files = [p / f"{s}.jsonl" for p in ps for s in ("a", "b")]
    texts, _ = load_texts(files, max_texts=args.max_texts)
    truths = [t for p in ps for t in json.loads((p / "meta.json").read_text())["truth"]]
    hyps = list(dict.fromkeys(list(reference_descriptions()) + truths))
    print(f"{len(texts)} texts from {len(files)} files, {len(hyps)} free-text hypotheses "
          f"(topic inventory + truth phrasings)", flush=True)
    out: dict = {"n_texts": len(texts), "n_hypotheses": len(hyps), "teachers": {}}

    students = {}
    for name, teacher, budget, eval_pairs in (
            ("offline", OfflineJudge(), args.budget, 3000),
            ("joint", JointEncodingJudge(), args.joint_budget, 1500)):
        if name not in args.teachers.split(","):
            continue
        print(f"\n=== teacher: {name} ===", flush=True)
        t0 = time.perf_counter()
        student, rep = distill(teacher, texts, hyps, budget=budget, eval_pairs=eval_pairs,
                               seed=0, student=make_student(args.student),
                               log=lambda m: print("  " + m, flush=True))
        student.save(args.work / name)
        student.path_ = args.work / name
        rep.save(args.work / name / "report.json")
        print(format_report(rep), flush=True)
        print(f"distill wall time {time.perf_counter() - t0:.0f}s", flush=True)
        students[name] = (teacher, student)
        out["teachers"][name] = {"report": rep.to_dict()}

    # --- throughput on one fresh matrix: every hypothesis x unseen texts -------------------
    rng = np.random.default_rng(1)
    fresh = []
    for p in ps:
        for s in ("a", "b"):
            lines = (p / f"{s}.jsonl").read_text(encoding="utf-8").splitlines()
            pick = rng.choice(len(lines), min(args.speed_texts, len(lines)), replace=False)
            fresh += [json.loads(lines[i])["text"] for i in pick]
    fresh = [t for t in dict.fromkeys(fresh) if t not in set(texts)]
    hx = [Hypothesis(h) for h in hyps]
    for name, (teacher, student) in students.items():
        sp = speed(teacher, student, hx, fresh, teacher_texts=len(fresh) if name == "offline"
                   else 8, warmup_texts=texts)
        out["teachers"][name]["speed"] = sp
        print(f"\nspeed vs {name}: {sp['shape']} matrix; teacher {sp['teacher_per_s']:,.0f}/s "
              f"(on {sp['teacher_pairs']} pairs), student cold {sp['student_cold_per_s']:,.0f}/s"
              f", warm {sp['student_warm_per_s']:,.0f}/s -> ratio {sp['ratio_cold']:.1f}x cold, "
              f"{sp['ratio_warm']:.1f}x warm", flush=True)

    # --- diff: same significant findings? ---------------------------------------------------
    if "offline" in students:
        teacher, student = students["offline"]
        out["diff_offline"] = []
        print("\n=== diff with the offline teacher vs its student (offline proposer, "
              f"{args.diff_texts} texts per side, no adaptive stopping) ===", flush=True)
        for p in ps:
            c = compare_diffs(p.name, p / "a.jsonl", p / "b.jsonl", teacher, student,
                              max_texts=args.diff_texts)
            out["diff_offline"].append(c)
            _print_compare(c)
    if "joint" in students:
        teacher, student = students["joint"]
        out["diff_joint"] = []
        print("\n=== diff with the joint teacher vs its student (topic inventory + truths as "
              "hypotheses, 60 texts per side) ===", flush=True)
        for p in [p for p in ps if json.loads((p / "meta.json").read_text())["truth"]][
                :args.joint_diff_pairs]:
            c = compare_diffs(p.name, p / "a.jsonl", p / "b.jsonl", teacher, student,
                              max_texts=60, hypotheses=hyps)
            out["diff_joint"].append(c)
            _print_compare(c)
    args.out.write_text(json.dumps(out, indent=2, default=str))
    print(f"\nwrote {args.out}")


def _print_compare(c: dict) -> None:
    print(f"{c['pair']}: {c['n_candidates']} candidates; significant: teacher "
          f"{c['teacher_significant']}, student {c['student_significant']}, shared "
          f"{c['shared']}; teacher top-5 significant also significant with student: "
          f"{c['teacher_top5_significant_with_student']}/{c['teacher_top5_significant']}; "
          f"verify {c['teacher_verify_s']}s vs {c['student_verify_s']}s", flush=True)
    for s in c["only_teacher"]:
        print(f"   only teacher: {s}")
    for s in c["only_student"]:
        print(f"   only student: {s}")


if __name__ == "__main__":
    main()
