"""Terminal rendering of results with rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..goal import goal_divider
from ..result import DiffResult
from .grouping import members_of

# Columns beyond rank, side, hypothesis, validity, q and sig, in the order they are added as
# the terminal widens (so AUC and the CI go first when it narrows), with their widths.
OPTIONAL_COLUMNS = (("p", 7), ("95% CI", 14), ("AUC", 4))
HYPOTHESIS_MIN = 36  # the hypothesis column never gets narrower than this for an extra column
_ESSENTIAL_WIDTH = 38  # borders, padding and the #, in, validity, q (BH) and sig columns


def shown_columns(width: int, wide: bool = False) -> list[str]:
    """The optional columns that fit in ``width`` characters (all of them when ``wide``)."""
    if wide:
        return [name for name, _ in OPTIONAL_COLUMNS]
    room = width - _ESSENTIAL_WIDTH - 3 - HYPOTHESIS_MIN
    shown = []
    for name, w in OPTIONAL_COLUMNS:
        if room < w + 3:
            break
        shown.append(name)
        room -= w + 3
    return shown


def diff_table(result: DiffResult, top: int = 20, columns: list[str] | None = None) -> Table:
    """Ranked table: one row per finding (the best hypothesis of each group of strongly
    correlated ones, with the others listed under it as "also: ..."), both directions.
    ``columns``: the optional columns to show (p, 95% CI, AUC; default all)."""
    a, b = result.corpus_a.name, result.corpus_b.name
    cols = [n for n, _ in OPTIONAL_COLUMNS] if columns is None else list(columns)
    table = Table(title=f"How A ({a}) and B ({b}) differ", show_lines=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("in", justify="center", no_wrap=True)
    table.add_column("a text on this side more often ...", overflow="fold", min_width=28,
                     ratio=1)
    table.add_column("validity", justify="right", no_wrap=True)
    for name in ("95% CI", "p"):
        if name in cols:
            table.add_column(name, justify="right", no_wrap=True)
    table.add_column("q (BH)", justify="right", no_wrap=True)
    if "AUC" in cols:
        table.add_column("AUC", justify="right", no_wrap=True)
    table.add_column("sig", justify="center", no_wrap=True)
    leaders = [h for h in result.hypotheses if h.group is None or h.group == h.rank]
    for i, h in enumerate(leaders[:top]):
        divider = goal_divider(leaders, i)
        if divider:
            table.add_row("", "", f"[bold]{divider}[/bold]")
        style = None if h.significant else "dim"
        flags = "".join(f" [yellow]({escape(f)})[/yellow]" for f in h.flags)
        also = members_of(result.hypotheses, h)
        if also:
            more = f" and {len(also) - 3} more" if len(also) > 3 else ""
            flags += "\n[dim]  also: " + "; ".join(
                f"{escape(m.hypothesis)} ({m.direction} {m.validity:+.2f})" for m in also[:3]
            ) + more + "[/dim]"
        cells = [str(h.rank), h.direction, escape(h.hypothesis) + flags, f"{h.validity:+.3f}"]
        if "95% CI" in cols:
            cells.append(f"[{h.ci_low:+.2f}, {h.ci_high:+.2f}]")
        if "p" in cols:
            cells.append(_p(h.p_value))
        cells.append(_p(h.q_value))
        if "AUC" in cols:
            cells.append(f"{h.auc:.2f}")
        cells.append(("*?" if h.flags else "*") if h.significant else "")
        table.add_row(*cells, style=style)
    return table


def controls_table(controls: dict) -> Table:
    """The judge's control hypotheses (validity should be 0)."""
    table = Table(title="Judge controls (validity should be 0; not in the FDR family)")
    table.add_column("control", overflow="fold", min_width=28, ratio=1)
    for name in ("validity", "95% CI", "p", "mean P(yes)", "biased"):
        table.add_column(name, justify="right", no_wrap=True)
    for c in controls.get("controls", []):
        table.add_row(f"{escape(c['hypothesis'])} ({c['kind']})", f"{c['validity']:+.3f}",
                      f"[{c['ci_low']:+.3f}, {c['ci_high']:+.3f}]", _p(c["p_value"]),
                      f"{c['mean_p_yes']:.2f}", "yes" if c["biased"] else "",
                      style="yellow" if c["biased"] else None)
    return table


def print_diff(result: DiffResult, console: Console | None = None, top: int = 20,
               verbose: bool = False, wide: bool = False) -> None:
    """The ranked table and the run's summary lines. On a narrow terminal the table keeps
    rank, side, hypothesis, validity, q and sig and leaves out AUC, the CI and p (in that
    order) unless ``wide``."""
    console = console or Console()
    if not console.is_terminal and console.width < 140:
        console.width = 140
    from .paired import paired_header

    if paired_header(result):
        console.print(paired_header(result), style="bold")
    cols = shown_columns(console.width, wide)
    console.print(diff_table(result, top, columns=cols))
    hidden = [n for n, _ in OPTIONAL_COLUMNS if n not in cols]
    if hidden:
        console.print(f"not shown at this width: {', '.join(hidden)} (--wide shows them)",
                      style="dim")
    if result.judge_controls:
        console.print(controls_table(result.judge_controls))
    n_sig = len(result.significant)
    v = result.verification
    how = (amortized_spend(result) if v.get("method") == "amortized" else
           f"{v['judgments_made']} judgments, {v['judgments_saved']} saved by adaptive "
           "stopping")
    console.print(
        f"{n_sig} of {len(result.hypotheses)} hypotheses significant at q < {result.alpha} "
        f"(Benjamini-Hochberg). Verified on {result.corpus_a.n_validation} A + "
        f"{result.corpus_b.n_validation} B held-out texts; {how}.")
    n_groups = sum(1 for h in result.hypotheses if h.group is None or h.group == h.rank)
    if n_groups < len(result.hypotheses):
        console.print(f"{n_groups} distinct findings: hypotheses whose judgments correlate "
                      "strongly (>= 0.5) are listed under the best of their group (also: ...).",
                      style="dim")
    console.print("validity = share of A texts where it holds - share of B texts; "
                  "sig = q < alpha.", style="dim")
    for note in result.notes:
        console.print(f"note: {note}", style="dim")
    if verbose:
        t = result.timing
        console.print("timing: " + ", ".join(f"{k[:-2]} {v:.2f}s" for k, v in t.items()),
                      style="dim")


def _p(p: float) -> str:
    return f"{p:.1e}" if p < 1e-3 else f"{p:.3f}"


def print_decomposition(result: DiffResult, console: Console | None = None,
                        top: int = 20) -> None:
    """Groups (composition), significant within-group findings and recombined hypotheses."""
    dec = result.decomposition
    if dec is None:
        return
    console = console or Console()
    if not console.is_terminal and console.width < 140:
        console.width = 140
    m = dec.method
    how = (f"field {m.get('field')!r}" if m.get("kind") == "field"
           else f"k-means on sentence embeddings, K = {m.get('k')}"
           + (" (highest silhouette over 2..6)" if m.get("spec") == "auto" else ""))
    table = Table(title=f"Composition: {len(dec.groups)} groups ({how})")
    table.add_column("group", no_wrap=True)
    table.add_column("described as (best hypothesis against the rest)", overflow="fold",
                     min_width=24, ratio=1)
    for name in ("share A", "share B", "difference", "95% CI", "q", "sig", "inside"):
        table.add_column(name, justify="right", no_wrap=name != "inside")
    for g in dec.groups:
        table.add_row(g.name, g.description or "-", f"{g.share_a:.2f}", f"{g.share_b:.2f}",
                      f"{g.difference:+.3f}", f"[{g.ci_low:+.2f}, {g.ci_high:+.2f}]",
                      _p(g.q_value), "*" if g.significant else "",
                      "diffed" if g.within == "diffed" else "too small",
                      style=None if g.significant else "dim")
    console.print(table)
    names = {g.id: g.name for g in dec.groups}
    sig = dec.significant_within[:top]
    within = Table(title="Within-group differences (significant; q over composition + all "
                         "within-group hypotheses)")
    within.add_column("group", no_wrap=True)
    within.add_column("in", justify="center", no_wrap=True)
    within.add_column("inside the group, a text on this side more often ...", overflow="fold",
                      min_width=28, ratio=1)
    for name in ("validity", "95% CI", "q"):
        within.add_column(name, justify="right", no_wrap=True)
    for w in sig:
        within.add_row(names[w.group], w.direction, w.hypothesis, f"{w.validity:+.3f}",
                       f"[{w.ci_low:+.2f}, {w.ci_high:+.2f}]", _p(w.q_value))
    if sig:
        console.print(within)
    else:
        console.print(f"No significant within-group difference ({len(dec.within)} hypotheses "
                      "tested inside groups).")
    rec = Table(title="Recombined: raw vs group-adjusted validity (Mantel-Haenszel)")
    rec.add_column("#", justify="right", no_wrap=True)
    rec.add_column("hypothesis", overflow="fold", min_width=24, ratio=1)
    for name in ("raw", "adjusted", "95% CI", "q adj", "flags"):
        rec.add_column(name, justify="right", no_wrap=name != "flags")
    for r in dec.recombined[:top]:
        if r.adjusted_validity is None:
            continue
        rec.add_row(str(r.rank), r.hypothesis, f"{r.raw_validity:+.3f}",
                    f"{r.adjusted_validity:+.3f}",
                    f"[{r.adjusted_ci_low:+.2f}, {r.adjusted_ci_high:+.2f}]",
                    _p(r.adjusted_q or 1.0), ", ".join(f.replace("_", " ") for f in r.flags),
                    style=None if r.flags else "dim")
    console.print(rec)
    for note in dec.notes:
        console.print(f"note: {note}", style="dim")


def amortized_spend(result) -> str:
    """What an amortized run spent: teacher judgments against an exhaustive run's, the
    method, and per hypothesis the labels and (active method) labels-equivalent."""
    v = result.verification
    per = [h.amortized for h in result.hypotheses if h.amortized]
    labels = sum(d.get("teacher_labels", 0) for d in per) / max(len(per), 1)
    eff = [d["effective_labels"] for d in per if d.get("effective_labels") is not None]
    gain = (f", worth {sum(eff) / len(eff):.0f} labels-equivalent with the student"
            if eff else "")
    return (f"{v['judgments_made']} teacher judgments of the {v['judgments_if_exhaustive']} an "
            f"exhaustive run would make (amortized, {v.get('amortized_method', 'uniform')} "
            f"method: {labels:.0f} teacher labels per hypothesis on average{gain}; a "
            f"{v['student']['source']} student judged every text, prediction-powered "
            "statistics)")
