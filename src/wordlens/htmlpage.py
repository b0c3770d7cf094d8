"""The shell of every self-contained HTML page wordlens writes (``wordlens report``): one
style sheet, escaped text, tables, and matplotlib figures inlined as SVG."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from typing import Any

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222;
       padding: 0 1em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 0.5em 0 1.2em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em; text-align: right;
         vertical-align: top; }
th.text, td.text { text-align: left; }
tr.ns { color: #888; }
.meta { color: #666; font-size: 0.85em; }
.flag { color: #b35900; font-weight: 600; }
dt { font-weight: 600; }
table.narrow { width: auto; }
"""

e = html.escape


def page(title: str, body: str) -> str:
    """A whole page: ``title`` (plain text) and ``body`` (HTML)."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{e(title)}</title>\n<style>{STYLE}</style></head><body>\n{body}\n"
            "</body></html>\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
          text_columns: Sequence[int] = (), row_classes: Sequence[str] | None = None,
          css_class: str = "") -> str:
    """A table of escaped cells; ``text_columns`` are left-aligned."""
    def cell(tag: str, i: int, v: Any) -> str:
        cls = ' class="text"' if i in text_columns else ""
        return f"<{tag}{cls}>{e(str(v))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join(
        f"<tr{f' class={chr(34)}{row_classes[r]}{chr(34)}' if row_classes else ''}>"
        + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
        for r, row in enumerate(rows))
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def pyplot():
    """matplotlib's pyplot on the Agg backend, or None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


PLOT_OMITTED = ("<p><em>Plot omitted: install matplotlib (pip install 'wordlens[report]')."
                "</em></p>")


def svg(fig) -> str:
    """A matplotlib figure as inline SVG (the figure is closed)."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.find("<svg"):]


def num(x: Any, fmt: str = ".3f") -> str:
    """A number for a cell; '-' for a missing one."""
    if x is None or (isinstance(x, float) and x != x):
        return "-"
    return format(x, fmt)
