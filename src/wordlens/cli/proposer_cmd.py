"""`wordlens train-proposer` and `wordlens eval-proposer` (amortized proposing)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from ..errors import InputError
from ..outfile import check_output_dir

CORPUS_HELP = "Texts (file, folder or shared:NAME); repeat for several"


def register(app: typer.Typer) -> None:
    @app.command("train-proposer")
    def train_proposer_command(
        out: Path = typer.Option(..., "--out", "-o", help="Folder to write the proposer to"),
        corpus: list[str] = typer.Option([], "--corpus", "-c", help=CORPUS_HELP),
        datasets: Path | None = typer.Option(None, help="Shared datasets folder (for "
                                                        "shared:NAME corpora)"),
        bank: list[Path] = typer.Option([], "--bank", help="Extra hypotheses: .txt, .jsonl, "
                                                           ".json or a replay set"),
        no_topics: bool = typer.Option(False, "--no-topics", help="Leave the shipped topic "
                                                                  "inventory out of the bank"),
        replay: list[Path] = typer.Option([], "--replay", help="Replay set(s) of search "
                                                               "winners to train on"),
        problems: int = typer.Option(600, min=1, help="Forward-sampled problems per corpus"),
        epochs: int = typer.Option(100, min=1, help="Training epochs"),
        top_k: int = typer.Option(10, min=1, help="Hypotheses proposed per pair"),
        seed: int = typer.Option(0, min=0, help="Seed of forward sampling and training"),
    ) -> None:
        """Train the learned inverse proposer on forward-sampled problems (+ replayed winners)."""
        from ..learned.bank import build_bank
        from ..learned.replay import load_replay
        from ..learned.sources import resolve_corpus
        from ..learned.training import train_proposer

        if not corpus and not replay:
            raise InputError("train-proposer: give at least one --corpus or --replay")
        check_output_dir(out, inputs=[*bank, *replay, *(c for c in corpus
                                                        if not c.startswith("shared:"))])
        t0 = time.perf_counter()
        b = build_bank([*bank, *replay], topics=not no_topics)
        corpora = [resolve_corpus(c, datasets) for c in corpus]
        records = [r for p in replay for r in load_replay(p)]
        model = train_proposer(corpora, b, replay=records, n_problems=problems, seed=seed,
                               top_k=top_k, epochs=epochs)
        model.save(out)
        typer.echo(f"trained on {model.n_examples_} pairs ({', '.join(model.trained_on_)}); "
                   f"bank of {len(model.bank_)} hypotheses; final loss "
                   f"{model.loss_curve_[-1]:.3f}; {time.perf_counter() - t0:.0f}s")
        typer.echo(f"wrote {out}")

    @app.command("eval-proposer")
    def eval_proposer_command(
        model: Path = typer.Argument(..., help="Folder written by train-proposer"),
        corpus: list[str] = typer.Option([], "--corpus", "-c",
                                         help="Held-out texts (not used in training); repeatable"),
        datasets: Path | None = typer.Option(None, help="Datasets folder (shared:NAME, real "
                                                        "pairs)"),
        problems: int = typer.Option(200, min=1, help="Synthetic problems per corpus"),
        n: int = typer.Option(100, min=2, help="Texts per side of a synthetic problem"),
        purity: float = typer.Option(0.8, help="Share of A for which the answer holds"),
        distractors: int = typer.Option(2, min=0,
                                        help="Distractor hypotheses common on both sides"),
        real: bool = typer.Option(True, "--real/--no-real", help="Also evaluate on the real "
                                                                 "pairs of --datasets"),
        max_texts: int = typer.Option(200, min=10, help="Texts per side of a real pair"),
        k: int = typer.Option(10, min=1, help="The learned proposer verifies its top k"),
        seed: int = typer.Option(1, min=0, help="Seed of the evaluation problems"),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write the JSON report"),
    ) -> None:
        """Recall@k of the learned proposer vs exhaustive search, judge calls, wall time."""
        from ..judges.offline import OfflineJudge
        from ..learned.evaluate import evaluate_real_pairs, evaluate_synthetic, format_evaluation
        from ..learned.sources import resolve_corpus
        from ..learned.synthetic import Difficulty, ForwardSampler
        from ..outfile import check_output_file, write_atomic
        from ..proposers.learned.model import LearnedProposer

        if not 0 < purity <= 1:
            raise InputError(f"--purity {purity}: must be in (0, 1]")
        if out is not None:
            check_output_file(out, inputs=[model])
        prop = LearnedProposer.load(model, top_k=k)
        judge = OfflineJudge()
        diff = Difficulty(n_a=n, n_b=n, purity=purity, n_distractors=distractors)
        report = {"model": str(model), "trained_on": prop.trained_on_, "difficulty":
                  diff.__dict__, "evaluations": []}
        for spec in corpus:
            name, texts = resolve_corpus(spec, datasets)
            sampler = ForwardSampler(prop.bank_, judge).fit(texts, name=name)
            probs = sampler.sample(problems, diff, seed=seed)
            ev = evaluate_synthetic(prop, probs, OfflineJudge(), name=f"synthetic ({name})",
                                    k=k, seed=seed)
            typer.echo(format_evaluation(ev))
            report["evaluations"].append(ev.to_dict())
        if real:
            if datasets is None:
                raise InputError("eval-proposer: --real needs --datasets (or pass --no-real)")
            ev = evaluate_real_pairs(prop, datasets, judge, max_texts=max_texts, k=k, seed=seed)
            typer.echo(format_evaluation(ev))
            for row in ev.per_problem:
                typer.echo(f"    {row['pair']}: {row['n_true']} true bank hypotheses; first "
                           f"true at rank learned {row['rank_learned'] + 1}, exhaustive "
                           f"{row['rank_exhaustive'] + 1}")
            report["evaluations"].append(ev.to_dict())
        if out is not None:
            write_atomic(out, json.dumps(report, indent=1))
            typer.echo(f"wrote {out}")
