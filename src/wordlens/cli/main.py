"""`wordlens` console script: registers subcommands and turns WordlensError into one line."""

from __future__ import annotations

import sys

import typer

from ..errors import WordlensError

app = typer.Typer(
    name="wordlens",
    help="Describe, in plain words and with honest statistics, how two text corpora differ "
         "and what a classifier has learned.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)


def _register() -> None:
    # One module per subcommand; each exposes `register(app)`.
    from . import bench_cmd, diff_cmd, report_cmd

    for mod in (diff_cmd, bench_cmd, report_cmd):
        mod.register(app)
    for name in ("distill_cmd", "explain_cmd", "proposer_cmd"):
        try:
            mod = __import__(f"{__package__}.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise
            continue
        mod.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except WordlensError as exc:
        print(f"wordlens: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("wordlens: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # typer/click exit
        return int(exc.code or 0)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        if isinstance(exc, click.exceptions.Abort):
            return 1
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
