"""`wordlens diff A B`."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from ..diff.config import DiffConfig
from ..errors import BudgetExceeded, InputError
from ..hypothesis import load_hypotheses
from ..outfile import check_output_file
from .checks import (
    check_encoding,
    check_judge_spec,
    check_open_unit,
    check_positive,
    check_student_folder,
    check_teacher_budget,
)
from .groups_cmd import run_groups
from .output import start_progress
from .paired_cmd import check_paired_options

INPUT, OUTPUT, SEARCH = "Input", "Output", "Proposing and verifying"
LLM, AMORTIZED, SCALE = "LLM backends", "Amortized verification", "Groups and scale"
CONTROLS = "Judge controls"
#: the option defaults shown in --help are DiffConfig's (the one place that picks them)
DEFAULTS = DiffConfig()


def register(app: typer.Typer) -> None:
    @app.command("diff")
    def diff_command(
        a: Path = typer.Argument(..., help="Corpus A: .jsonl .csv .tsv .parquet .txt, or a "
                                            "folder"),
        b: Path | None = typer.Argument(None, help="Corpus B, same formats (none with "
                                                         "--paired/--by)"),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write the JSON result here",
                                        rich_help_panel=OUTPUT),
        text_field: str | None = typer.Option(None, help="Field/column holding the text",
                                              rich_help_panel=INPUT),
        encoding: str = typer.Option(DEFAULTS.encoding, help="Text encoding of the input files",
                                     rich_help_panel=INPUT),
        goal: str | None = typer.Option(None, help="Research goal: steers proposing and ranking",
                                        rich_help_panel=SEARCH),
        proposer: str | None = typer.Option(None, help="Proposer spec: offline (default), "
                                                            "properties+phrases, ...",
                                     rich_help_panel=SEARCH),
        judge: str | None = typer.Option(None, help="Judge spec: offline (default), "
                                                         "embedding, joint, student:DIR, ...",
                                         rich_help_panel=SEARCH),
        hypotheses: Path | None = typer.Option(
            None, help="Test these instead of proposing (.txt, .jsonl, .json)",
            rich_help_panel=SEARCH),
        seed: int = typer.Option(DEFAULTS.seed, min=0, metavar="N",
                                 help="Seed of the proposal/validation split",
                                 rich_help_panel=INPUT),
        max_texts: int | None = typer.Option(
            None, min=1, metavar="N", help="At most this many texts per corpus (seeded sample)",
            rich_help_panel=INPUT),
        top_k: int = typer.Option(DEFAULTS.top_k, min=1, metavar="N",
                                  help="Adaptive verification: keep judging the top k",
                                  rich_help_panel=SEARCH),
        no_adaptive: bool = typer.Option(False, "--no-adaptive",
                                         help="Judge every hypothesis on every held-out text",
                                         rich_help_panel=SEARCH),
        alpha: float = typer.Option(DEFAULTS.alpha, help="False discovery rate for 'significant'",
                                    rich_help_panel=SEARCH),
        show: int = typer.Option(20, min=0, metavar="N", help="Rows to show in the table",
                                 rich_help_panel=OUTPUT),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Print phase timings",
                                     rich_help_panel=OUTPUT),
        confirm_with: str | None = typer.Option(
            None, help="Judge spec that re-checks the top hypotheses",
            rich_help_panel=AMORTIZED),
        confirm_top: int = typer.Option(5, min=1, metavar="N", help="How many top hypotheses "
                                                       "--confirm-with re-checks",
                                        rich_help_panel=AMORTIZED),
        model: str | None = typer.Option(
            None, help="LLM for proposer and judge: openai:NAME, ...", rich_help_panel=LLM),
        proposer_model: str | None = typer.Option(None, help="LLM for the proposer only",
                                                  rich_help_panel=LLM),
        judge_model: str | None = typer.Option(None, help="LLM for the judge only",
                                               rich_help_panel=LLM),
        base_url: str | None = typer.Option(
            None, help="OpenAI-compatible server, e.g. http://localhost:8000/v1",
            rich_help_panel=LLM),
        api_key_env: str | None = typer.Option(
            None, help="Environment variable holding this server's API key",
            rich_help_panel=LLM),
        max_cost: float | None = typer.Option(
            None, help="Stop (partial result saved) at this cost in USD", rich_help_panel=LLM),
        max_calls: int | None = typer.Option(
            None, min=1, metavar="N", help="Stop (partial result saved) after this many calls",
            rich_help_panel=LLM),
        cache_dir: Path | None = typer.Option(
            None, help="Model-call cache folder (default ~/.cache/wordlens)",
            rich_help_panel=LLM),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not cache model calls",
                                      rich_help_panel=LLM),
        judge_batch: int | None = typer.Option(
            None, min=1, metavar="N", help="Texts per LLM judge request (default 8 API, 1 local)",
            rich_help_panel=LLM),
        judge_hypotheses_per_call: int = typer.Option(
            1, min=1, metavar="N", help="Hypotheses per LLM judge request about one text",
            rich_help_panel=LLM),
        judge_controls: bool = typer.Option(
            True, "--judge-controls/--no-judge-controls",
            help="Judge control hypotheses to flag judge bias (LLM)",
            rich_help_panel=CONTROLS),
        verify: str | None = typer.Option(
            None, help="amortized or exhaustive (default: by the judge's cost)",
            rich_help_panel=AMORTIZED),
        teacher_budget: int | None = typer.Option(
            None, help="Amortized: judge calls for the run (default 10%)",
            rich_help_panel=AMORTIZED),
        student: Path | None = typer.Option(
            None, help="Amortized: student folder to use or to save",
            rich_help_panel=AMORTIZED),
        amortized_method: str = typer.Option(
            "auto", help="Amortized: auto (active), active or uniform",
            rich_help_panel=AMORTIZED),
        replay: Path | None = typer.Option(
            None, help="Append significant winners to this replay set",
            rich_help_panel=OUTPUT),
        decompose: str | None = typer.Option(
            None, help="Decompose by groups: auto, a number K, or field:NAME",
            rich_help_panel=SCALE),
        fast: bool = typer.Option(
            False, "--fast", help="Large corpora: static encoder, streamed verification",
            rich_help_panel=SCALE),
        engine: str | None = typer.Option(
            None, help="Stream verification on an engine: inprocess or ray",
            rich_help_panel=SCALE),
        ray_address: str | None = typer.Option(
            None, help="Ray cluster address (default $RAY_ADDRESS)", rich_help_panel=SCALE),
        wide: bool = typer.Option(False, "--wide", help="Show every column at any width",
                                  rich_help_panel=OUTPUT),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr",
                                   rich_help_panel=OUTPUT),
        paired: tuple[str, str] | None = typer.Option(
            None, "--paired", metavar="A_FIELD B_FIELD", help="Paired: two text fields per row",
            rich_help_panel=SCALE),
        pair_id: str | None = typer.Option(None, help="Paired: id field joining A and B rows",
                                           rich_help_panel=SCALE),
        by: str | None = typer.Option(None, help="Many groups: the field naming each row's group",
                                      rich_help_panel=SCALE),
        reference: str | None = typer.Option(None, help="--by: compare each group to this one",
                                             rich_help_panel=SCALE),
    ) -> None:
        """Describe how corpus A differs from corpus B, with validity, CI, p, q and AUC.

        Option details: docs/terminal-and-report.md and the README."""
        from ..diff import diff
        from ..diff.display import print_diff
        from ..registry import make_judge, make_proposer

        console, err = Console(stderr=False), Console(stderr=True)
        t0 = time.perf_counter()
        check_encoding(encoding)
        check_open_unit(alpha, "--alpha")
        check_positive(max_cost, "--max-cost")
        inputs = check_paired_options(b, paired, pair_id, by, reference, [a, b, hypotheses])
        if out is not None:
            check_output_file(out, inputs=[*inputs, replay])
        if replay is not None:
            check_output_file(replay, inputs=[*inputs, out], flag="--replay")
        hyps = load_hypotheses([hypotheses]) if hypotheses else None
        _check_amortized_options(verify, teacher_budget, student,
                                 len(hyps) if hyps is not None else None,
                                 streamed=fast or engine is not None or ray_address is not None,
                                 method=amortized_method)
        check_judge_spec(confirm_with, "--confirm-with")
        eng = _checked_engine(engine, ray_address)
        from .llm_options import build_from_options, usage_lines

        llm_j, llm_p = build_from_options(
            model=model, proposer_model=proposer_model, judge_model=judge_model,
            base_url=base_url, api_key_env=api_key_env, max_cost=max_cost, max_calls=max_calls,
            cache_dir=cache_dir, no_cache=no_cache, judge_batch=judge_batch,
            need_proposer=not hyps, judge_hypotheses_per_call=judge_hypotheses_per_call)
        # None leaves the choice to the config (the offline ones; --fast: its own)
        j = llm_j or (make_judge(judge) if judge else None)
        p = None if hyps else (llm_p or (make_proposer(proposer) if proposer else None))
        log = (lambda m: err.print(f"[dim]{m}[/dim]")) if verbose else None
        if by is not None:
            return run_groups(a, b, by=by, reference=reference, judge=j, proposer=p,
                              hypotheses=hyps, seed=seed, max_texts=max_texts, alpha=alpha,
                              text_field=text_field, encoding=encoding, goal=goal, out=out,
                              show=show, console=console, options=dict(
                                  verify=verify, fast=fast, engine=engine or ray_address,
                                  decompose=decompose, replay=replay, confirm_with=confirm_with))
        config = DiffConfig(
            goal=goal, proposer=p, judge=j, hypotheses=hyps, seed=seed, max_texts=max_texts,
            top_k=top_k, adaptive=not no_adaptive, alpha=alpha, text_field=text_field,
            encoding=encoding, judge_controls=None if judge_controls else False,
            decompose=decompose, fast=fast, engine=eng, verify=verify,
            teacher_budget=teacher_budget, student=str(student) if student else None,
            student_cache=False if no_cache else (cache_dir or True), paired=paired,
            pair_id=pair_id)
        config = _with_method(config, amortized_method)
        start_progress(quiet=quiet, verbose=verbose)
        with _null():
            try:
                result = diff(a, b, config, progress=err.is_terminal, log=log)
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
        conf = _confirm(result, a, b, confirm_with, confirm_top) if confirm_with else None
        print_diff(result, console, top=show, verbose=verbose, wide=wide)
        if result.decomposition is not None:
            from ..diff.display import print_decomposition

            print_decomposition(result, console, top=show)
        for line in usage_lines(p, j):
            console.print(line, markup=False, highlight=False)
        if conf is not None:
            from ..confirm import format_confirmation

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


def _confirm(result, a: Path, b: Path, spec: str, top: int) -> dict:
    """Re-check the top hypotheses with the judge ``spec``; the result's notes stop advising
    --confirm-with."""
    from ..confirm import confirm
    from ..judges.student import CONFIRM_ADVICE
    from ..registry import make_judge

    conf = confirm(result, a, b, make_judge(spec), top=top, split=result.split_)
    result.verification["confirmation"] = conf
    done = f"The top {conf.get('n', top)} findings were re-checked with {spec} (--confirm-with)."
    result.notes = [n.replace(CONFIRM_ADVICE, done) for n in result.notes]
    return conf


def _checked_engine(engine: str | None, ray_address: str | None):
    """The engine asked for (None: in memory), checked before any work: a missing package,
    a cluster address nothing answers at."""
    if engine is None and ray_address is None:
        return None
    from ..engine import make_engine

    eng = make_engine(engine or "ray", address=ray_address)
    eng.check()
    return eng


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _with_method(config: DiffConfig, method: str) -> DiffConfig:
    """``config`` with the amortized method of ``--amortized-method`` (auto: the plan's
    default)."""
    if method == "auto":
        return config
    import dataclasses

    return dataclasses.replace(config, plan=dataclasses.replace(config.amortized_plan(),
                                                                method=method))


def _check_amortized_options(verify: str | None, teacher_budget: int | None,
                             student: Path | None, n_hypotheses: int | None, *,
                             streamed: bool, method: str = "auto") -> None:
    if method not in ("auto", "active", "uniform"):
        raise InputError(f"--amortized-method: {method!r}; choose auto, active or uniform")
    if verify is not None and verify not in ("amortized", "exhaustive"):
        raise InputError(f"--verify: {verify!r}; choose amortized or exhaustive")
    if verify == "amortized" and streamed:
        raise InputError("--verify amortized cannot stream (--fast / --engine): choose one")
    check_teacher_budget(teacher_budget, n_hypotheses)
    check_student_folder(student)
