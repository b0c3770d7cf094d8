"""Coverage of prediction-powered intervals with deliberately poor students, by simulation.

Each draw: teacher judgments of ``--n-texts`` validation texts per side (rates p_A, p_B), a
student's judgments of the same texts, a uniformly random labelled sample of ``--n-labels``
per side; the 95% PPI interval of validity (as `diff --verify amortized` computes it) either
covers the true teacher validity p_A - p_B or not. Also: how often a student error alone (a
student that says yes to every A text and no to every B text, on a null pair) is called
significant at p < 0.05.

    python scripts/sim_ppi.py --draws 1000
"""

from __future__ import annotations

import argparse

import numpy as np

from wordlens.stats import compare, ppi_compare, ppi_mean, ppi_two_sample

STUDENTS = {
    "random": lambda rng, y: rng.uniform(size=y.size),
    "yes-biased": lambda rng, y: np.clip(0.7 + 0.2 * y + rng.normal(0, 0.1, y.size), 0, 1),
    "always-yes": lambda rng, y: np.ones(y.size),
    "good (3% flips)": lambda rng, y: np.where(rng.uniform(size=y.size) < 0.03, 1 - y, y),
}


def side(rng, p, n_texts, n_labels, student):
    y = (rng.uniform(size=n_texts) < p).astype(float)
    f = student(rng, y)
    perm = rng.permutation(n_texts)
    lab, rest = perm[:n_labels], perm[n_labels:]
    return (y[lab], f[lab], f[rest]), y


def coverage(student, rng, args, lam):
    hits, widths, s_hits = 0, [], 0
    truth = args.p_a - args.p_b
    for _ in range(args.draws):
        a, _ = side(rng, args.p_a, args.n_texts, args.n_labels, student)
        b, _ = side(rng, args.p_b, args.n_texts, args.n_labels, student)
        c = (ppi_two_sample(a, b) if lam is None else
             ppi_compare(ppi_mean(*a, lam=lam), ppi_mean(*b, lam=lam)))
        hits += c.ci_low <= truth <= c.ci_high
        widths.append(c.ci_high - c.ci_low)
        s = compare(np.concatenate([a[1], a[2]]), np.concatenate([b[1], b[2]]))
        s_hits += s.ci_low <= truth <= s.ci_high
    return hits / args.draws, float(np.mean(widths)), s_hits / args.draws


def null_cheater(rng, args) -> float:
    positives = 0
    for _ in range(args.draws):
        a, _ = side(rng, args.p_b, args.n_texts, args.n_labels, lambda r, y: np.ones(y.size))
        b, _ = side(rng, args.p_b, args.n_texts, args.n_labels, lambda r, y: np.zeros(y.size))
        positives += ppi_two_sample(a, b).p_value < 0.05
    return positives / args.draws


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--n-texts", type=int, default=400)
    ap.add_argument("--n-labels", nargs="*", type=int, default=[10, 20, 40])
    ap.add_argument("--p-a", type=float, default=0.35)
    ap.add_argument("--p-b", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print(f"{args.draws} draws, {args.n_texts} texts per side, teacher rates "
          f"{args.p_a} / {args.p_b} (validity {args.p_a - args.p_b:+.2f})")
    print(f"{'student':18s} {'labels/side':>11s} {'weight':>8s} {'PPI coverage':>12s} "
          f"{'mean width':>10s} {'student-only coverage':>22s}")
    labels = args.n_labels
    for name, student in STUDENTS.items():
        for n in labels:
            args.n_labels = n
            for lam, tag in ((None, "PPI++"), (1.0, "1")):
                cov, width, s_cov = coverage(student, rng, args, lam)
                print(f"{name:18s} {n:11d} {tag:>8s} {cov:12.3f} {width:10.3f} "
                      f"{s_cov:22.3f}")
    args.n_labels = labels[-1]
    print(f"student says yes to every A text, no to every B text, equal teacher rates: "
          f"p < 0.05 in {null_cheater(rng, args):.3f} of draws ({labels[-1]} labels/side)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
