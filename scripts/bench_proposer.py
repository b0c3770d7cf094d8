"""Amortized proposing, end to end, on the shared datasets (CPU, offline judge).

1. Earlier runs grow the bank, on pairs built only from the training sources (amazon, movie,
   tweets; never BBC, never a truth): `wordlens diff --replay` with the offline proposer on
   same-source pairs (positive vs negative) and on cross-source pairs (amazon a vs tweets,
   movie b vs amazon b, ...): their significant winners join the bank and are replay training
   data; and `wordlens diff --proposer phrases` on the same pairs: its significant keyword
   concepts join the bank only (they are not the answer of those pairs, so no training target).
2. Train the learned proposer on forward-sampled problems from amazon, movie and tweets (+ the
   offline-search replay set); save it.
3. `wordlens eval-proposer` on synthetic problems from BBC News (never used in training) and
   on the real pairs.
4. Expert iteration on BBC: iteration 0 = the model above; each later iteration runs the
   exhaustive search on new BBC pairs (first half of the BBC texts), appends its winners to a
   replay set and retrains; recall against the search is measured on held-out BBC pairs
   (second half of the BBC texts).

    python scripts/bench_proposer.py --out /tmp/wl_proposer
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
AMAZON_A, AMAZON_B = "amazon_pos_vs_neg/a", "amazon_pos_vs_neg/b"
MOVIE_A, MOVIE_B, MOVIE_C = "movie_pos_vs_neg/a", "movie_pos_vs_neg/b", "tweets_vs_movie/b"
TWEETS = "tweets_vs_movie/a"
#: searched pairs whose texts all come from the training sources (the files of
#: wordlens.amortized.sources amazon, movie, tweets): same-source pairs and cross-source ones.
#: Their significant winners grow the bank.
TRAIN_PAIRS = ((AMAZON_A, AMAZON_B), (MOVIE_A, MOVIE_B), (TWEETS, MOVIE_C),
               (AMAZON_A, TWEETS), (AMAZON_B, TWEETS), (MOVIE_A, TWEETS), (MOVIE_B, TWEETS),
               (AMAZON_A, MOVIE_A), (AMAZON_B, MOVIE_B), (AMAZON_A, MOVIE_B),
               (AMAZON_B, MOVIE_A), (AMAZON_A, MOVIE_C), (AMAZON_B, MOVIE_C))


def wordlens(*args: str) -> None:
    exe = Path(sys.executable).with_name("wordlens")
    print("$ wordlens " + " ".join(args), flush=True)
    subprocess.run([str(exe), *args], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("/tmp/wl_proposer"))
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--problems", type=int, default=600, help="training problems per corpus")
    ap.add_argument("--eval-problems", type=int, default=200)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=2)
    ap.add_argument("--search-pairs", type=int, default=80, help="search pairs per iteration")
    ap.add_argument("--heldout-pairs", type=int, default=60)
    ap.add_argument("--max-texts", type=int, default=600, help="texts per side of a diff run")
    ap.add_argument("--skip-diff", action="store_true", help="reuse the diff replay sets")
    args = ap.parse_args()
    out, ds = args.out, args.datasets
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    diff_replay = out / "diff.replay.jsonl"  # offline-proposer search: bank + training data
    concepts = out / "concepts.replay.jsonl"  # keyword-concept search: bank only
    if not args.skip_diff:
        diff_replay.unlink(missing_ok=True)
        concepts.unlink(missing_ok=True)
        for a, b in TRAIN_PAIRS:
            pair = (str(ds / f"{a}.jsonl"), str(ds / f"{b}.jsonl"))
            wordlens("diff", *pair, "--max-texts", str(args.max_texts), "--show", "0",
                     "--replay", str(diff_replay))
            wordlens("diff", *pair, "--proposer", "phrases", "--max-texts",
                     str(args.max_texts), "--show", "0", "--replay", str(concepts))
    model = out / "model"
    wordlens("train-proposer", "--out", str(model), "--datasets", str(ds),
             "--corpus", "shared:amazon", "--corpus", "shared:movie", "--corpus", "shared:tweets",
             "--bank", str(diff_replay), "--bank", str(concepts), "--replay", str(diff_replay),
             "--problems", str(args.problems), "--epochs", str(args.epochs))
    wordlens("eval-proposer", str(model), "--datasets", str(ds), "--corpus", "shared:bbc",
             "--problems", str(args.eval_problems), "--out", str(out / "eval.json"))
    by_kind(model, out / "eval.json")
    expert_iteration(model, ds, out, args)
    print(f"total {time.perf_counter() - t0:.0f}s")


def _kind(h) -> str:
    return (h.form or {}).get("kind") or h.source


def by_kind(model: Path, report: Path) -> None:
    """Bank composition, and recall@10 on the synthetic problems by the kind of the answer."""
    from collections import Counter

    from wordlens.proposers.learned.model import LearnedProposer

    bank = LearnedProposer.load(model).bank_
    kind = {h.text: _kind(h) for h in bank}
    print("bank:", ", ".join(f"{n} {k}" for k, n in Counter(map(_kind, bank)).most_common()))
    ev = json.loads(report.read_text())["evaluations"][0]
    rows: dict[str, list] = {}
    for r in ev["per_problem"]:
        rows.setdefault(kind.get(r["truth"][0], "?"), []).append(r)
    for k, rs in sorted(rows.items()):
        print(f"  answer kind {k:<16} {len(rs):>4} problems  recall@10 learned "
              f"{np.mean([r['rank_learned'] < 10 for r in rs]):.3f}  exhaustive "
              f"{np.mean([r['rank_exhaustive'] < 10 for r in rs]):.3f}")


def expert_iteration(model: Path, ds: Path, out: Path, args) -> None:
    from wordlens.judges.offline import OfflineJudge
    from wordlens.learned.replay import expert_iteration as run
    from wordlens.learned.replay import replay_examples
    from wordlens.learned.sources import source_texts
    from wordlens.learned.synthetic import Difficulty, ForwardSampler
    from wordlens.learned.training import forward_training_data
    from wordlens.proposers.learned.model import LearnedProposer

    base = LearnedProposer.load(model)
    bank = base.bank_
    corpora = [(n, source_texts(n, ds)) for n in ("amazon", "movie", "tweets")]
    data = forward_training_data(corpora, bank, n_problems=args.problems, seed=0)
    diff_ex, _ = replay_examples(out / "diff.replay.jsonl")
    base_examples = data.examples + diff_ex

    bbc = source_texts("bbc", ds)
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(bbc))
    half1 = [bbc[i] for i in perm[: len(bbc) // 2]]
    half2 = [bbc[i] for i in perm[len(bbc) // 2:]]
    diff = Difficulty(n_a=60, n_b=60, purity=0.8, n_distractors=1)
    s1 = ForwardSampler(bank).fit(half1, "bbc-half1")
    s2 = ForwardSampler(bank).fit(half2, "bbc-half2")
    rounds = [[(p.a, p.b) for p in s1.sample(args.search_pairs, diff, seed=100 + t)]
              for t in range(args.iterations)]
    heldout = [(p.a, p.b) for p in s2.sample(args.heldout_pairs, diff, seed=999)]

    def fit(examples, extra):
        return LearnedProposer(bank, epochs=args.epochs).fit(
            examples, extra_hypotheses=extra, sketch_prior=data.sketch_prior)

    replay = out / "bbc-search.replay.jsonl"
    replay.unlink(missing_ok=True)
    reports = run(fit, base_examples, rounds, heldout, list(bank), OfflineJudge(),
                  replay_path=replay)
    print("expert iteration (held-out BBC pairs; recall of the search's top-3 significant "
          "winners in the learned top 10):")
    for r in reports:
        print(f"  iteration {r.iteration}: replay records {r.n_replay_records:>3}  "
              f"recall vs search {r.recall_vs_search:.3f}  best winner in top 10 "
              f"{r.top1_hit:.3f}  ({r.n_heldout} held-out pairs)")
    (out / "expert_iteration.json").write_text(json.dumps([r.to_dict() for r in reports],
                                                          indent=1))


if __name__ == "__main__":
    main()
