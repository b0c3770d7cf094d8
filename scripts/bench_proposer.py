"""Amortized proposing, end to end, on the shared datasets (CPU, offline judge).

1. Search on training-source pairs: `wordlens diff` (offline proposer) on the real pairs whose
   texts come from the training sources (amazon, movie, tweets), with --replay: their
   significant winners grow the bank and become replay training data.
2. Train the learned proposer on forward-sampled problems from amazon, movie and tweets (+ that
   replay set); save it.
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
#: searched pairs whose texts all come from the training sources: their significant winners
#: grow the bank. Add cross-source pairs (e.g. amazon a vs tweets a) to grow it further.
TRAIN_PAIRS = (("amazon_pos_vs_neg/a", "amazon_pos_vs_neg/b"),
               ("movie_pos_vs_neg/a", "movie_pos_vs_neg/b"),
               ("tweets_vs_movie/a", "tweets_vs_movie/b"))


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
    ap.add_argument("--search-pairs", type=int, default=40, help="search pairs per iteration")
    ap.add_argument("--heldout-pairs", type=int, default=60)
    ap.add_argument("--skip-diff", action="store_true", help="reuse the diff replay set")
    args = ap.parse_args()
    out, ds = args.out, args.datasets
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    diff_replay = out / "diff.replay.jsonl"
    if not args.skip_diff:
        diff_replay.unlink(missing_ok=True)
        for a, b in TRAIN_PAIRS:
            wordlens("diff", str(ds / f"{a}.jsonl"), str(ds / f"{b}.jsonl"),
                     "--max-texts", "300", "--show", "0", "--replay", str(diff_replay))
    model = out / "model"
    wordlens("train-proposer", "--out", str(model), "--datasets", str(ds),
             "--corpus", "shared:amazon", "--corpus", "shared:movie", "--corpus", "shared:tweets",
             "--bank", str(diff_replay), "--replay", str(diff_replay),
             "--problems", str(args.problems), "--epochs", str(args.epochs))
    wordlens("eval-proposer", str(model), "--datasets", str(ds), "--corpus", "shared:bbc",
             "--problems", str(args.eval_problems), "--out", str(out / "eval.json"))
    expert_iteration(model, ds, out, args)
    print(f"total {time.perf_counter() - t0:.0f}s")


def expert_iteration(model: Path, ds: Path, out: Path, args) -> None:
    from wordlens.amortized.forward import Difficulty, ForwardSampler
    from wordlens.amortized.inverse import LearnedProposer
    from wordlens.amortized.replay import expert_iteration as run
    from wordlens.amortized.replay import replay_examples
    from wordlens.amortized.sources import source_texts
    from wordlens.amortized.training import forward_training_data
    from wordlens.judges.offline import OfflineJudge

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
        return LearnedProposer(bank, epochs=args.epochs).fit(examples, extra_hypotheses=extra)

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
