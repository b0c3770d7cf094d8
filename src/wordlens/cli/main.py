"""`wordlens` console script: registers subcommands and turns every error a user can cause into
one line on stderr and an exit code.

Exit codes: 0 done, 1 unexpected error (a bug: the traceback is printed), 2 bad input or usage,
3 backend problem or missing optional package, 4 budget exhausted (partial result saved),
130 interrupted (Ctrl-C; no output file is written).
"""

from __future__ import annotations

import contextvars
import sys

import typer

from ..errors import EXTRAS, WordlensError, missing_extra

app = typer.Typer(
    name="wordlens",
    help="Describe, in plain words and with honest statistics, how two text corpora differ "
         "and what a classifier has learned.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

INTERRUPTED = 130


def _print_version(value: bool) -> None:
    if value:
        from ..version import __version__

        typer.echo(f"wordlens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_print_version,
                                       is_eager=True, help="Print the version and exit")
          ) -> None:
    """Describe, in plain words and with honest statistics, how two text corpora differ
    and what a classifier has learned."""


def _register() -> None:
    # One module per subcommand; each exposes `register(app)` and imports its command's
    # modules only when run.
    from . import bench_cmd, diff_cmd, distill_cmd, explain_cmd, proposer_cmd, report_cmd

    for mod in (diff_cmd, bench_cmd, report_cmd, distill_cmd, explain_cmd, proposer_cmd):
        mod.register(app)
    from . import predict_cmd  # noqa: I001
    predict_cmd.register(app)


_register()


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """click's ClickException and Abort, both typer's bundled copy (typer >= 0.16 raises its
    own) and the standalone click package when it is installed."""
    found: list[type[BaseException]] = []
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "ClickException":
            found.append(cls)
    try:
        import click

        found += [click.ClickException]
    except ImportError:  # pragma: no cover
        pass
    return tuple(dict.fromkeys(found))


def _is_abort(exc: BaseException) -> bool:
    return type(exc).__name__ == "Abort" and type(exc).__module__.split(".")[0] in (
        "click", "typer")


def usage_message(exc: BaseException) -> str:
    """One line for a click/typer usage error, naming the subcommand's help."""
    fmt = getattr(exc, "format_message", None)
    msg = " ".join(str(fmt() if fmt else exc).split()) or type(exc).__name__
    ctx = getattr(exc, "ctx", None)
    sub = ctx.info_name if ctx is not None and ctx.parent is not None else ""
    hint = f" (see: wordlens {sub} --help)" if sub else " (see: wordlens --help)"
    return msg + hint


def _fail(message: str, code: int) -> int:
    print(f"wordlens: error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    try:
        # a copied context: what a command installs (its progress reporter) ends with it
        rv = contextvars.copy_context().run(app, args=argv, standalone_mode=False)
    except WordlensError as exc:
        return _fail(" ".join(str(exc).split()), exc.exit_code)
    except KeyboardInterrupt:
        print("wordlens: interrupted", file=sys.stderr)
        return INTERRUPTED
    except SystemExit as exc:  # typer/click exit, e.g. --help
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] in EXTRAS:
            return _fail(str(missing_extra(exc.name or "")), 3)
        raise
    except Exception as exc:
        if isinstance(exc, _click_exception_types()):
            if type(exc).__name__ == "NoArgsIsHelpError":  # the help is already printed
                return 2
            return _fail(usage_message(exc), 2)
        if _is_abort(exc):  # click turns Ctrl-C / EOF at a prompt into Abort
            print("wordlens: interrupted", file=sys.stderr)
            return INTERRUPTED
        raise
    if rv == INTERRUPTED:  # typer turns KeyboardInterrupt into Exit(130) and returns its code
        print("wordlens: interrupted", file=sys.stderr)
        return INTERRUPTED
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
