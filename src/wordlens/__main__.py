"""`python -m wordlens` runs the command-line interface."""

import sys


def _run() -> int:
    try:
        from wordlens.cli.main import main
    except KeyboardInterrupt:  # Ctrl-C while the libraries load
        print("wordlens: interrupted", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(_run())
