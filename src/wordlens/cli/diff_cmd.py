"""`wordlens diff A B`."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from ..errors import BudgetExceeded, InputError
from ..hypothesis import load_hypotheses
from ..outfile import check_output_file
from .checks import check_encoding, check_open_unit, check_positive


def register(app: typer.Typer) -> None:
    @app.command("diff")
    def diff_command(
        a: Path = typer.Argument(..., help="Corpus A: .jsonl, .csv, .tsv, .parquet, .txt or a "
                                            "folder of .txt files"),
        b: Path = typer.Argument(..., help="Corpus B, same formats"),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write the JSON result"),
        text_field: str | None = typer.Option(None, help="Field/column holding the text"),
        encoding: str = typer.Option("utf-8", help="Text encoding of the input files"),
        goal: str | None = typer.Option(None, help="Research goal: steers proposing and ranking"),
        proposer: str = typer.Option("offline", help="Proposer spec, e.g. offline, "
                                                     "properties+phrases"),
        judge: str = typer.Option("offline", help="Judge spec, e.g. offline, embedding"),
        hypotheses: Path | None = typer.Option(
            None, help="Test these hypotheses instead of proposing (.txt one per line, or a "
                       "result .json)"),
        seed: int = typer.Option(0, min=0, help="Seed of the proposal/validation split"),
        max_texts: int | None = typer.Option(None, min=1, help="Use at most this many texts per "
                                                           "corpus (seeded sample)"),
        top_k: int = typer.Option(10, min=1, help="Adaptive verification keeps judging hypotheses "
                                           "that can still reach the top k"),
        no_adaptive: bool = typer.Option(False, "--no-adaptive",
                                         help="Judge every hypothesis on every held-out text"),
        alpha: float = typer.Option(0.05, help="False discovery rate for 'significant'"),
        show: int = typer.Option(20, min=0, help="Rows to show in the table"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Print phase timings"),
        confirm_with: str | None = typer.Option(
            None, help="Judge spec (e.g. the teacher of a student judge) that re-checks only "
                       "the final top hypotheses and reports whether the conclusions agree"),
        confirm_top: int = typer.Option(5, min=1, help="How many top hypotheses --confirm-with "
                                                "re-checks"),
        model: str | None = typer.Option(
            None, help="LLM for proposer and judge: openai:NAME, openai-compatible:NAME "
                       "(with --base-url) or transformers:PATH; API keys only from "
                       "$OPENAI_API_KEY / $WORDLENS_API_KEY or the config file"),
        proposer_model: str | None = typer.Option(None, help="LLM for the proposer only"),
        judge_model: str | None = typer.Option(None, help="LLM for the judge only"),
        base_url: str | None = typer.Option(
            None, help="OpenAI-compatible server, e.g. http://localhost:8000/v1"),
        api_key_env: str | None = typer.Option(
            None, help="Name of the environment variable holding the API key for this run's "
                       "server (the key itself never goes on the command line)"),
        max_cost: float | None = typer.Option(
            None, help="Stop cleanly (partial result saved) at this estimated cost in USD"),
        max_calls: int | None = typer.Option(
            None, min=1, help="Stop cleanly (partial result saved) after this many model calls"),
        cache_dir: Path | None = typer.Option(
            None, help="Folder of the model-call cache (default $WORDLENS_CACHE_DIR or "
                       "~/.cache/wordlens)"),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not cache model calls"),
        judge_batch: int | None = typer.Option(
            None, min=1, help="Texts per LLM judge request (default 8 over an API, 1 locally)"),
        judge_hypotheses_per_call: int = typer.Option(
            1, min=1, help="Hypotheses per LLM judge request about one text (JSON yes/no answer; "
                    "needs --judge-batch 1 or unset)"),
        judge_controls: bool = typer.Option(
            True, "--judge-controls/--no-judge-controls",
            help="With an LLM judge, also judge placebo and role-swapped control hypotheses "
                 "and flag findings no larger than the judge's measured bias"),
        verify: str | None = typer.Option(
            None, help="amortized (the judge labels a random sample, a student judges every "
                       "text, prediction-powered statistics) or exhaustive; default: "
                       "amortized for expensive judges (LLM, joint), exhaustive otherwise"),
        teacher_budget: int | None = typer.Option(
            None, help="--verify amortized: judge calls for the run (default: 10% of an "
                       "exhaustive run, at least 40 per hypothesis)"),
        student: Path | None = typer.Option(
            None, help="--verify amortized: student folder to use (or to save the one "
                       "distilled now); default: the cache's student for this judge"),
        replay: Path | None = typer.Option(
            None, help="Append this run's significant winners and pair summary to a replay "
                       "set (training data for `wordlens train-proposer --replay`); with "
                       "--decompose also one record per within-group diff"),
        decompose: str | None = typer.Option(
            None, help="Decompose: auto (k-means on embeddings, K by silhouette), K (a number "
                       "of groups) or field:NAME (a field of the input rows); adds group "
                       "composition, within-group differences and group-adjusted validity"),
        fast: bool = typer.Option(
            False, "--fast", help="For large corpora: a static text encoder instead of a "
                                  "transformer pass per text, a bounded proposal sample, "
                                  "streamed verification (the notes say what it trades)"),
        engine: str | None = typer.Option(
            None, help="Stream verification in batches on an engine: inprocess, or ray "
                       "(a cluster at --ray-address / $RAY_ADDRESS, else a local instance)"),
        ray_address: str | None = typer.Option(
            None, help="Address of a running Ray cluster (default $RAY_ADDRESS)"),
    ) -> None:
        """Describe how corpus A differs from corpus B, with validity, CI, p, q and AUC."""
        from ..diff import diff
        from ..display import print_diff
        from ..registry import make_judge, make_proposer

        console = Console(stderr=False)
        err = Console(stderr=True)
        t0 = time.perf_counter()
        check_encoding(encoding)
        check_open_unit(alpha, "--alpha")
        check_positive(max_cost, "--max-cost")
        inputs = [a, b, hypotheses]
        if out is not None:
            check_output_file(out, inputs=[*inputs, replay])
        if replay is not None:
            check_output_file(replay, inputs=[*inputs, out], flag="--replay")
        hyps = load_hypotheses([hypotheses]) if hypotheses else None
        _check_amortized_options(verify, teacher_budget, student)
        from .llm_options import build_from_options, usage_lines

        llm_j, llm_p = build_from_options(
            model=model, proposer_model=proposer_model, judge_model=judge_model,
            base_url=base_url, api_key_env=api_key_env, max_cost=max_cost, max_calls=max_calls,
            cache_dir=cache_dir, no_cache=no_cache, judge_batch=judge_batch,
            need_proposer=not hyps, judge_hypotheses_per_call=judge_hypotheses_per_call)
        # --fast builds its own judge and proposer where the defaults were asked for
        j = llm_j or (None if fast and judge == "offline" else make_judge(judge))
        p = None if hyps else (llm_p or (None if fast and proposer == "offline"
                                         else make_proposer(proposer)))
        log = (lambda m: err.print(f"[dim]{m}[/dim]")) if verbose else None
        eng = None
        if engine is not None or ray_address is not None:
            from ..engine import make_engine

            eng = make_engine(engine or "ray", address=ray_address)
        streamed = fast or eng is not None  # these show their own progress bars
        with err.status("wordlens: loading and proposing…", spinner="dots") if (
                not verbose and err.is_terminal and not streamed) else _null():
            try:
                result = diff(a, b, goal=goal, proposer=p, judge=j, hypotheses=hyps,
                              seed=seed, max_texts=max_texts, top_k=top_k,
                              adaptive=not no_adaptive, alpha=alpha, text_field=text_field,
                              encoding=encoding, judge_controls=None if judge_controls else False,
                              progress=err.is_terminal, log=log, decompose=decompose,
                             fast=fast, engine=eng, verify=verify,
                              teacher_budget=teacher_budget,
                              student=str(student) if student else None,
                              student_cache=False if no_cache else (cache_dir or True))
            except BudgetExceeded as exc:  # save what finished, then report the stop
                for line in usage_lines(p, j):
                    err.print(line, markup=False, highlight=False)
                cached = "" if no_cache else (
                    "; finished calls are cached: rerun with a larger budget to continue "
                    "without paying for them again")
                if exc.partial_result is not None and out is not None:
                    exc.partial_result.save(out)
                    raise BudgetExceeded(f"{exc} (partial result written to {out}){cached}"
                                         ) from None
                raise BudgetExceeded(f"{exc}{cached}") from None
            finally:
                if eng is not None:
                    eng.close()
        result.timing["wall_s"] = round(time.perf_counter() - t0, 3)
        print_diff(result, console, top=show, verbose=verbose)
        if result.decomposition is not None:
            from ..display import print_decomposition

            print_decomposition(result, console, top=show)
        for line in usage_lines(p, j):
            console.print(line, markup=False, highlight=False)
        if confirm_with:
            from ..confirm import confirm, format_confirmation

            conf = confirm(result, a, b, make_judge(confirm_with), top=confirm_top,
                           split=result.split_)
            result.verification["confirmation"] = conf
            console.print(format_confirmation(conf), markup=False, highlight=False)
        if out is not None:
            result.save(out)
            console.print(f"wrote {out}", style="dim")
        if replay is not None:
            from ..learned.replay import append_decomposed_run, append_diff_run

            recs = (append_decomposed_run(replay, result, result.split_)
                    if result.decomposition is not None
                    else [append_diff_run(replay, result, result.split_)])
            console.print(f"appended {sum(len(r.winners) for r in recs)} winners in "
                          f"{len(recs)} record(s) to {replay}", style="dim")


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _check_amortized_options(verify: str | None, teacher_budget: int | None,
                             student: Path | None) -> None:
    if verify is not None and verify not in ("amortized", "exhaustive"):
        raise InputError(f"--verify: {verify!r}; choose amortized or exhaustive")
    check_positive(teacher_budget, "--teacher-budget")
    if student is not None and student.exists() and not student.is_dir():
        raise InputError(f"--student {student}: not a folder")
