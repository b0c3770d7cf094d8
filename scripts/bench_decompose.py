"""Decomposed differences on synthetic Simpson cases built from real corpora, the null pair,
and the runtime of ``--decompose auto`` against a plain diff.

Each case mixes two sources of the shared datasets (topics X and Y: Amazon review sentences,
movie review sentences, tweets): A = 70 % X + 30 % Y, B = 30 % X + 70 % Y. An exact property P
(a programmatic property of wordlens.properties, e.g. "asks a question") is planted by choosing
texts where it holds:

- ``one``: inside X, P holds in ``--rate-hi`` of A's texts and ``--rate-lo`` of B's; inside Y,
  A and B are drawn alike (no effect);
- ``opposite``: as ``one`` inside X, and reversed inside Y (B has P more often).

So every top-level difference other than P's (and what correlates with P) comes from the
topic mix. Measured per case (offline judge and proposer, ``--decompose auto``):

- planted recall: a significant within-group finding (q < 0.05 over the decomposition's
  family) in a group whose texts are mostly X (for ``opposite`` also mostly Y, direction B)
  whose judgments correlate >= 0.5 with P on that group's validation texts;
- composition flags: share of significant top-level hypotheses unrelated to P (|correlation|
  with P < 0.3 on the validation texts of X) flagged ``explained_by_composition``;
- false flags: top-level hypotheses related to P (correlation >= 0.5) flagged
  ``explained_by_composition``; and significant within-group findings in the Y groups of
  ``one`` cases (A and B are drawn alike there, so each is a false discovery).

    python scripts/bench_decompose.py --cases 20 --n 240 --out /tmp/wl_decompose.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("amazon", "movie", "tweets")
PROPERTIES = ("question", "exclamation", "number", "negation", "first_person", "comparison")


def _rows(texts, fn):
    return np.array([fn(t) for t in texts], dtype=float)


def make_case(seed: int, texts: dict[str, list[str]], n: int, hi: float, lo: float):
    """One synthetic Simpson case: (A, B, meta)."""
    from wordlens.properties import property_from_form

    rng = np.random.default_rng(seed)
    kind = "one" if seed % 2 == 0 else "opposite"
    nx_a, nx_b = int(0.7 * n), int(0.3 * n)
    ny_a, ny_b = n - nx_a, n - nx_b
    need_pos = round(hi * nx_a) + round(lo * nx_b)  # texts with P needed in X (and Y, opposite)
    need_neg = nx_a + nx_b - need_pos
    # topics and a property with enough texts where it holds and where it does not
    for _ in range(200):
        x, y = rng.choice(SOURCES, size=2, replace=False)
        prop = property_from_form({"name": str(rng.choice(PROPERTIES))})
        px, py = _rows(texts[x], prop.fn), _rows(texts[y], prop.fn)
        ok_y = (kind == "one" and len(py) >= ny_a + ny_b) or (
            min(py.sum(), (1 - py).sum()) >= max(need_pos, need_neg))
        if px.sum() >= need_pos and (1 - px).sum() >= need_neg and ok_y:
            break
    else:
        raise SystemExit(f"no topics and property with {need_pos} texts to plant; lower --n")

    # X: A high, B low (texts disjoint between A and B)
    xp, xn = ([texts[x][i] for i in rng.permutation(np.flatnonzero(px == v))] for v in (1, 0))
    a_x = xp[:round(hi * nx_a)] + xn[:nx_a - round(hi * nx_a)]
    b_x = (xp[round(hi * nx_a):round(hi * nx_a) + round(lo * nx_b)]
           + xn[nx_a - round(hi * nx_a):nx_a - round(hi * nx_a) + nx_b - round(lo * nx_b)])
    yp, yn = ([texts[y][i] for i in rng.permutation(np.flatnonzero(py == v))] for v in (1, 0))
    if kind == "opposite":
        a_y = yp[:round(lo * ny_a)] + yn[:ny_a - round(lo * ny_a)]
        b_y = (yp[round(lo * ny_a):round(lo * ny_a) + round(hi * ny_b)]
               + yn[ny_a - round(lo * ny_a):ny_a - round(lo * ny_a) + ny_b - round(hi * ny_b)])
    else:  # alike: one random draw, split
        pool = [texts[y][i] for i in rng.permutation(len(texts[y]))[:ny_a + ny_b]]
        a_y, b_y = pool[:ny_a], pool[ny_a:]
    a = a_x + a_y
    b = b_x + b_y
    a = [a[i] for i in rng.permutation(len(a))]
    b = [b[i] for i in rng.permutation(len(b))]
    topic = {t: x for t in a_x + b_x} | {t: y for t in a_y + b_y}
    rates = [round(float(_rows(part, prop.fn).mean()), 2) for part in (a_x, b_x, a_y, b_y)]
    return a, b, {"rates_ax_bx_ay_by": rates,
                  "seed": seed, "kind": kind, "x": str(x), "y": str(y), "property": prop.name,
                  "property_text": prop.text, "fn": prop.fn, "topic": topic}


def _corr(u: np.ndarray, v: np.ndarray) -> float:
    if u.std() == 0 or v.std() == 0:
        return 0.0
    return float(np.corrcoef(u, v)[0, 1])


def score_case(result, meta, judge) -> dict:
    from wordlens.hypothesis import Hypothesis

    dec = result.decomposition
    split = result.split_
    fn, topic = meta["fn"], meta["topic"]
    val = list(split.validation_a) + list(split.validation_b)
    vx = [t for t in val if topic[t] == meta["x"]]
    p_x = _rows(vx, fn)
    # groups: majority topic of their validation texts
    subs = dec.group_splits_
    labels = {}
    majority = {}
    for g in dec.groups:
        labels[g.id] = g
    purity = []
    from wordlens.diff.decompose.groups import cluster_partition  # noqa: F401  (documentation)
    for gid, sub in subs.items():
        ts = list(sub.validation_a) + list(sub.validation_b)
        share_x = np.mean([topic[t] == meta["x"] for t in ts])
        majority[gid] = meta["x"] if share_x >= 0.5 else meta["y"]
        purity.append(max(share_x, 1 - share_x))

    def judged(rows, texts):
        hyps = [Hypothesis(r.hypothesis, r.source, r.form) for r in rows]
        return judge.judge(hyps, texts) if hyps else np.zeros((0, len(texts)))

    found_x = found_y = False
    false_y = false_y_unrelated = 0
    for gid, sub in subs.items():
        rows = [w for w in dec.within if w.group == gid and w.significant]
        ts = list(sub.validation_a) + list(sub.validation_b)
        pg = _rows(ts, fn)
        jm = judged(rows, ts)
        for r, j in zip(rows, jm):
            c = _corr(np.asarray(j, float), pg)
            # direction: A-side hypothesis correlating with P = "A more often P"
            sign = 1 if r.direction == "A" else -1
            if majority[gid] == meta["x"] and sign * c >= 0.5:
                found_x = True
            if majority[gid] == meta["y"] and meta["kind"] == "opposite" and -sign * c >= 0.5:
                found_y = True
            if majority[gid] == meta["y"] and meta["kind"] == "one":
                false_y += 1
                false_y_unrelated += abs(c) < 0.3
    top_sig = [r for r in dec.recombined if r.raw_q < 0.05]
    jt = judged(top_sig, vx)
    comp_total = comp_flagged = planted_false = planted_total = 0
    planted_flags = []
    for r, j in zip(top_sig, jt):
        c = abs(_corr(np.asarray(j, float), p_x))
        if c < 0.3:
            comp_total += 1
            comp_flagged += "explained_by_composition" in r.flags
        elif c >= 0.5:
            planted_total += 1
            planted_false += "explained_by_composition" in r.flags
            planted_flags.append(r.flags)
    return {"seed": meta["seed"], "kind": meta["kind"], "rates": meta["rates_ax_bx_ay_by"],
            "x": meta["x"], "y": meta["y"],
            "property": meta["property"], "k": len(dec.groups),
            "group_purity": float(np.mean(purity)) if purity else None,
            "groups_diffed": len(subs),
            "planted_found_x": found_x,
            "planted_found_y": found_y if meta["kind"] == "opposite" else None,
            "false_within_in_y": false_y if meta["kind"] == "one" else None,
            "false_within_in_y_unrelated": false_y_unrelated if meta["kind"] == "one" else None,
            "n_within_significant": len(dec.significant_within),
            "n_composition_significant": sum(g.significant for g in dec.groups),
            "top_sig_unrelated": comp_total, "top_sig_unrelated_flagged": comp_flagged,
            "top_sig_planted": planted_total, "planted_flagged_composition": planted_false,
            "planted_flags": planted_flags,
            "seconds": result.timing.get("total_s", 0) + dec.timing["total_s"]}


def run_cases(args, texts) -> list[dict]:
    import wordlens
    from wordlens.judges.offline import OfflineJudge

    judge = OfflineJudge()
    out = []
    for seed in range(args.cases):
        a, b, meta = make_case(seed, texts, args.n, args.rate_hi, args.rate_lo)
        t0 = time.perf_counter()
        res = wordlens.diff(a, b, seed=seed, judge=judge, decompose="auto")
        row = score_case(res, meta, judge)
        row["seconds"] = round(time.perf_counter() - t0, 1)
        if args.replay:  # amplify, then distil: the run's winners as proposer training data
            from wordlens.learned.replay import append_decomposed_run, append_diff_run

            append_diff_run(args.replay.with_suffix(".plain.replay.jsonl"), res, res.split_)
            append_decomposed_run(args.replay.with_suffix(".decomposed.replay.jsonl"), res,
                                  res.split_)
        out.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "planted_flags"}), flush=True)
    return out


def summarize(rows: list[dict]) -> dict:
    one = [r for r in rows if r["kind"] == "one"]
    opp = [r for r in rows if r["kind"] == "opposite"]
    ut = sum(r["top_sig_unrelated"] for r in rows)
    pt = sum(r["top_sig_planted"] for r in rows)
    return {
        "cases": len(rows),
        "planted_recall_x": float(np.mean([r["planted_found_x"] for r in rows])),
        "planted_recall_y_opposite": float(np.mean([r["planted_found_y"] for r in opp]))
        if opp else None,
        "false_within_findings_in_y_per_case": float(np.mean([r["false_within_in_y"]
                                                              for r in one])) if one else None,
        "cases_with_false_within_in_y": int(sum(r["false_within_in_y"] > 0 for r in one)),
        "false_within_in_y_unrelated_to_p": int(sum(r["false_within_in_y_unrelated"]
                                                    for r in one)),
        "composition_flag_rate": (sum(r["top_sig_unrelated_flagged"] for r in rows) / ut)
        if ut else None,
        "top_sig_unrelated": ut,
        "planted_top_level": pt,
        "planted_false_composition_flags": sum(r["planted_flagged_composition"] for r in rows),
        "mean_group_purity": float(np.mean([r["group_purity"] for r in rows
                                            if r["group_purity"] is not None])),
        "k_chosen": {str(k): sum(r["k"] == k for r in rows) for k in sorted({r["k"]
                                                                           for r in rows})},
        "mean_seconds_per_case": float(np.mean([r["seconds"] for r in rows])),
    }


def null_pair(ds: Path) -> dict:
    import wordlens

    res = wordlens.diff(ds / "null_amazon/a.jsonl", ds / "null_amazon/b.jsonl",
                        decompose="auto")
    dec = res.decomposition
    return {"k": len(dec.groups), "composition_significant": sum(g.significant
                                                                 for g in dec.groups),
            "within_significant": len(dec.significant_within),
            "top_level_significant": len(res.significant),
            "min_composition_q": min(g.q_value for g in dec.groups),
            "min_within_q": min((w.q_value for w in dec.within), default=None)}


def runtime(ds: Path, n: int) -> dict:
    import wordlens
    from wordlens.encoders import default_encoder
    from wordlens.learned.sources import source_texts

    a = source_texts("amazon", ds)[:n]
    b = (source_texts("movie", ds)[: n // 2] + source_texts("tweets", ds)[: n - n // 2])
    default_encoder().encode(a + b)  # both runs start with the texts' encodings cached
    t0 = time.perf_counter()
    plain = wordlens.diff(a, b, seed=0)
    t1 = time.perf_counter()
    dec = wordlens.diff(a, b, seed=0, decompose="auto")
    t2 = time.perf_counter()
    return {"n_a": len(a), "n_b": len(b), "plain_s": round(t1 - t0, 1),
            "decompose_auto_s": round(t2 - t1, 1), "ratio": round((t2 - t1) / (t1 - t0), 2),
            "k": len(dec.decomposition.groups), "decompose_timing": dec.decomposition.timing,
            "sub_diffs": dec.decomposition.verification["sub_diffs"],
            "judgments_plain": plain.verification["judgments_made"],
            "judgments_decomposition": dec.decomposition.verification["judgments_made"],
            "plain_significant": len(plain.significant)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--n", type=int, default=240, help="texts per side of a case")
    ap.add_argument("--rate-hi", type=float, default=0.55)
    ap.add_argument("--rate-lo", type=float, default=0.15)
    ap.add_argument("--runtime-n", type=int, default=1000)
    ap.add_argument("--skip", nargs="*", default=[], choices=["cases", "null", "runtime"])
    ap.add_argument("--out", type=Path, default=Path("/tmp/wl_decompose.json"))
    ap.add_argument("--replay", type=Path, default=None,
                    help="also write each case's replay records: PATH.plain.replay.jsonl "
                         "(top-level winners, as diff --replay) and "
                         "PATH.decomposed.replay.jsonl (top-level + within-group winners, as "
                         "diff --decompose --replay)")
    args = ap.parse_args()
    from wordlens.learned.sources import source_texts

    report: dict = {"args": {k: str(v) for k, v in vars(args).items()}}
    if "cases" not in args.skip:
        texts = {s: source_texts(s, args.datasets) for s in SOURCES}
        rows = run_cases(args, texts)
        report["cases"] = rows
        report["summary"] = summarize(rows)
        print("summary:", json.dumps(report["summary"], indent=1), flush=True)
    if "null" not in args.skip:
        report["null"] = null_pair(args.datasets)
        print("null pair:", json.dumps(report["null"]), flush=True)
    if "runtime" not in args.skip:
        report["runtime"] = runtime(args.datasets, args.runtime_n)
        print("runtime:", json.dumps(report["runtime"]), flush=True)
    args.out.write_text(json.dumps(report, indent=1, default=str))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
