"""A self-contained HTML page for a diff result. It reads only the result JSON."""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..goal import goal_divider
from ..outfile import check_output_file, write_atomic
from ..result import DiffResult, load_warnings
from .grouping import members_of


def forest_plot_svg(result: DiffResult, top: int = 20) -> str:
    """Validity and 95% CI of the top hypotheses as an inline SVG (matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ("<p><em>Plot omitted: install matplotlib (pip install 'wordlens[report]')."
                "</em></p>")
    rows = result.hypotheses[:top][::-1]
    if not rows:
        return ""
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(rows) + 1.2))
    ys = range(len(rows))
    for y, h in zip(ys, rows):
        color = ("#1f77b4" if h.direction == "A" else "#d62728") if h.significant else "#999999"
        ax.plot([h.ci_low, h.ci_high], [y, y], color=color, lw=2)
        ax.plot([h.validity], [y], "o", color=color)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(list(ys))
    ax.set_yticklabels([f"{h.rank}. " + (h.hypothesis[:70] + ("…" if len(h.hypothesis) > 70
                                                             else "")) for h in rows],
                       fontsize=8)
    ax.set_xlabel("validity = share in A − share in B, with 95% CI")
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.find("<svg"):]


def render_html(result: DiffResult, top: int = 30) -> str:
    """The whole page as one string: summary, plot, table with examples, definitions."""
    e = html.escape
    a, b = result.corpus_a, result.corpus_b
    v = result.verification
    rows = []
    leaders = [h for h in result.hypotheses if h.group is None or h.group == h.rank]
    for i, h in enumerate(leaders[:top]):
        divider = goal_divider(leaders, i)
        if divider:
            rows.append(f"<tr class='goal'><td></td><td></td><td><b>{e(divider)}</b></td>"
                        "<td colspan='6'></td></tr>")
        also = "".join(
            f"<li>{e(m.hypothesis)} ({m.direction}, validity {m.validity:+.3f}, q "
            f"{m.q_value:.2g}{', significant' if m.significant else ''}; correlation "
            f"{m.group_correlation:+.2f})</li>" for m in members_of(result.hypotheses, h))
        also = f"<p class='also'>also (same finding):</p><ul class='also'>{also}</ul>" \
            if also else ""
        ex_for = "".join(f"<li>{e(t)}</li>" for t in h.examples_for)
        ex_against = "".join(f"<li>{e(t)}</li>" for t in h.examples_against)
        other = "B" if h.direction == "A" else "A"
        flags = "".join(f" <span class='flag'>({e(f)})</span>" for f in h.flags)
        rows.append(
            f"<tr class='{'sig' if h.significant else 'ns'}'><td>{h.rank}</td>"
            f"<td>{h.direction}</td><td><details><summary>{e(h.hypothesis)}{flags}</summary>"
            f"<p>Holds ({h.direction}):</p><ul>{ex_for}</ul>"
            f"<p>Does not hold ({other}):</p><ul>{ex_against}</ul>"
            f"<p class='meta'>source: {e(h.source)}; test: {e(h.test)}; judged on "
            f"{h.n_a} A + {h.n_b} B texts{'; stopped early' if h.stopped_early else ''}</p>"
            f"</details>{also}</td><td>{h.validity:+.3f}</td>"
            f"<td>[{h.ci_low:+.3f}, {h.ci_high:+.3f}]</td><td>{h.p_value:.2g}</td>"
            f"<td>{h.q_value:.2g}</td><td>{h.auc:.2f}</td>"
            f"<td>{('*?' if h.flags else '*') if h.significant else ''}</td></tr>")
    defs = "".join(f"<dt>{e(k)}</dt><dd>{e(d)}</dd>" for k, d in result.definitions.items())
    notes = "".join(f"<li>{e(n)}</li>" for n in result.notes)
    views = ", ".join((result.settings.get("goal") or {}).get("views", []))
    goal = (f"<p>Research goal: {e(result.goal)}"
            + (f" (asks about: {e(views)}; findings that answer it first)" if views else "")
            + "</p>") if result.goal else ""
    controls = _controls_html(result.judge_controls)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wordlens: {e(a.name)} vs {e(b.name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.35em; text-align: right;
         vertical-align: top; }}
td:nth-child(3), th:nth-child(3) {{ text-align: left; }}
table.hyp td {{ white-space: nowrap; }}
table.hyp td:nth-child(3) {{ white-space: normal; }}
table.dec td:nth-child(2), table.dec th:nth-child(2) {{ text-align: left; }}
table.dec td:nth-child(3), table.dec th:nth-child(3) {{ text-align: right; }}
table.dec td {{ white-space: nowrap; }}
table.dec td:nth-child(2), table.dec td:nth-child(7) {{ white-space: normal; }}
tr.ns {{ color: #888; }}
summary {{ cursor: pointer; }}
.meta {{ color: #666; font-size: 0.85em; }}
.also {{ color: #666; font-size: 0.85em; margin: 0.2em 0; }}
.flag {{ color: #b35900; font-weight: 600; }}
dt {{ font-weight: 600; }}
</style></head><body>
<h1>How A differs from B</h1>
{_paired_html(result)}
<p>A: <b>{e(a.name)}</b> ({a.n_texts} texts, {e(a.source)}) &nbsp; B: <b>{e(b.name)}</b>
({b.n_texts} texts, {e(b.source)})</p>{goal}
<p>{len(result.significant)} of {len(result.hypotheses)} hypotheses significant at
q &lt; {result.alpha} (Benjamini–Hochberg). Proposed from {a.n_proposal} + {b.n_proposal}
texts, verified on the other {a.n_validation} + {b.n_validation};
{v.get('judgments_made')} judgments ({v.get('judgments_saved')} saved by adaptive stopping).
Proposer: {e(str(result.proposer.get('name')))}. Judge: {e(str(result.judge.get('name')))}.
Seed {result.seed}.</p>
{forest_plot_svg(result)}
<p class="meta">Blue: more often in A; red: more often in B; grey: not significant.</p>
<h2>Hypotheses</h2>
<p class="meta">Click a hypothesis for example texts. One row per finding: hypotheses whose
judgments correlate strongly (&ge; 0.5) with a better-ranked one are listed under it (also);
the JSON keeps them all.</p>
<table class="hyp"><thead><tr><th>#</th><th>more in</th><th>a text on this side more often …</th>
<th>validity</th><th>95% CI</th><th>p</th><th>q (BH)</th><th>AUC</th><th>sig</th></tr>
</thead><tbody>{''.join(rows)}</tbody></table>
{controls}
{decomposition_html(result)}
<h2>Notes</h2><ul>{notes or '<li>none</li>'}</ul>
<h2>Definitions</h2><dl>{defs}</dl>
<p class="meta">wordlens {e(result.wordlens_version)}, {e(result.created_at)}</p>
</body></html>
"""


def _paired_html(result: DiffResult) -> str:
    """A line saying the analysis was paired (empty when it was not)."""
    from .paired import paired_header

    line = paired_header(result)
    return f"<p class='paired'><b>{html.escape(line)}</b></p>" if line else ""


def _controls_html(controls: dict | None) -> str:
    """The judge-controls section (empty when the run had none)."""
    if not controls:
        return ""
    e = html.escape
    rows = "".join(
        f"<tr class='{'biased' if c['biased'] else 'ns'}'><td>{e(c['kind'])}</td>"
        f"<td>{e(c['hypothesis'])}</td><td>{c['validity']:+.3f}</td>"
        f"<td>[{c['ci_low']:+.3f}, {c['ci_high']:+.3f}]</td><td>{c['p_value']:.2g}</td>"
        f"<td>{c['mean_p_yes']:.2f}</td><td>{'yes' if c['biased'] else ''}</td></tr>"
        for c in controls.get("controls", []))
    bound = controls.get("bias_bound")
    p = controls.get("p_yes") or {}
    verdict = (f"<p class='flag'>The judge is biased between A and B (bias bound "
               f"{bound:.3f}): {len(controls.get('flagged', []))} significant finding(s) "
               f"flagged 'possibly judge bias' (marked *?).</p>" if bound is not None else
               "<p>No control came out biased.</p>")
    spread = (f"<p class='meta'>Judge P(yes) over the run: median {p['q50']:.2f}, 5–95% "
              f"{p['q05']:.2f}–{p['q95']:.2f}, share between 0.3 and 0.7 "
              f"{p['share_between_0.3_and_0.7']:.0%}.</p>" if p else "")
    return f"""<h2>Judge controls</h2>
<p class="meta">Hypotheses whose validity should be 0, judged by the same judge on the same
texts; not part of the Benjamini–Hochberg family. Rule: {e(str(controls.get('rule', '')))}.</p>
<table><thead><tr><th>kind</th><th>control</th><th>validity</th><th>95% CI</th><th>p</th>
<th>mean P(yes)</th><th>biased</th></tr></thead><tbody>{rows}</tbody></table>
{verdict}{spread}"""


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.find("<svg"):]


def group_shares_svg(result: DiffResult) -> str:
    """Share of A and of B validation texts in each group of the decomposition (matplotlib)."""
    dec = result.decomposition
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ("<p><em>Plot omitted: install matplotlib (pip install 'wordlens[report]')."
                "</em></p>")
    if dec is None or not dec.groups:
        return ""
    groups = dec.groups[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(groups) + 1.3))
    ys = list(range(len(groups)))
    ax.barh([y + 0.2 for y in ys], [g.share_a for g in groups], height=0.4, color="#1f77b4",
            label="A")
    ax.barh([y - 0.2 for y in ys], [g.share_b for g in groups], height=0.4, color="#d62728",
            label="B")
    for y, g in zip(ys, groups):
        top = max(g.share_a, g.share_b)
        ax.text(top + 0.01, y, f"{g.difference:+.2f}{' *' if g.significant else ''}",
                va="center", fontsize=8)
    ax.set_yticks(ys)
    ax.set_yticklabels([_group_label(g) for g in groups], fontsize=8)
    ax.set_xlim(0, min(1.15, max(max(g.share_a, g.share_b) for g in groups) + 0.12))
    ax.set_xlabel("share of the corpus' validation texts in the group "
                  "(label: A − B, * = q < alpha)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    fig.tight_layout()
    return _svg(fig)


def _group_label(g) -> str:
    d = g.description or ""
    d = d[:45] + ("…" if len(d) > 45 else "")
    return f"{g.name}: {d}" if d else g.name


def decomposition_html(result: DiffResult, top: int = 30) -> str:
    """The decomposition section: group shares chart, groups, within-group findings,
    recombined hypotheses with flags. Empty when the run was not decomposed."""
    dec = result.decomposition
    if dec is None:
        return ""
    e = html.escape
    m = dec.method
    how = (f"the field <b>{e(str(m.get('field')))}</b>" if m.get("kind") == "field"
           else f"k-means on sentence embeddings, K = {m.get('k')}"
           + (f" ({e(str(m.get('criterion')))})" if m.get("criterion") else ""))
    groups = "".join(
        f"<tr class='{'sig' if g.significant else 'ns'}'><td>{e(g.name)}</td>"
        f"<td><details><summary>{e(g.description or '-')}</summary><ul>"
        + "".join(f"<li>{e(t)}</li>" for t in g.examples)
        + f"</ul></details></td><td>{g.n_a}</td><td>{g.n_b}</td><td>{g.share_a:.2f}</td>"
        f"<td>{g.share_b:.2f}</td><td>{g.difference:+.3f}</td>"
        f"<td>[{g.ci_low:+.3f}, {g.ci_high:+.3f}]</td><td>{g.q_value:.2g}</td>"
        f"<td>{'*' if g.significant else ''}</td><td>{e(g.within)}</td></tr>"
        for g in dec.groups)
    names = {g.id: g.name for g in dec.groups}
    within = "".join(
        f"<tr class='sig'><td>{e(names[w.group])}</td><td>{w.direction}</td>"
        f"<td><details><summary>{e(w.hypothesis)}</summary><p>Holds ({w.direction}):</p><ul>"
        + "".join(f"<li>{e(t)}</li>" for t in w.examples_for)
        + f"</ul></details></td><td>{w.share_a:.2f}</td><td>{w.share_b:.2f}</td>"
        f"<td>{w.validity:+.3f}</td><td>[{w.ci_low:+.3f}, {w.ci_high:+.3f}]</td>"
        f"<td>{w.q_value:.2g}</td></tr>"
        for w in dec.significant_within[:top])
    within = (f"<table><thead><tr><th>group</th><th>more in</th><th>inside the group, a text "
              f"on this side more often …</th><th>share A</th><th>share B</th><th>validity</th>"
              f"<th>95% CI</th><th>q</th></tr></thead><tbody>{within}</tbody></table>"
              if within else f"<p>No significant within-group difference "
                             f"({len(dec.within)} hypotheses tested inside groups).</p>")
    rec = "".join(_recombined_row(r, names) for r in dec.recombined[:top]
                  if r.adjusted_validity is not None)
    rules = "".join(f"<dt>{e(k.replace('_', ' '))}</dt><dd>{e(v)}</dd>"
                    for k, v in dec.definitions.items() if k.startswith("flag "))
    notes = "".join(f"<li>{e(n)}</li>" for n in dec.notes)
    return f"""<h2>Decomposition</h2>
<p>The texts of A and B were split into {len(dec.groups)} groups by {how}. Composition: is a
group more common in A or in B? Within groups: how A and B differ inside each group large
enough (at least {dec.settings.get('min_group_texts')} validation texts of each).
Recombination: each top hypothesis' validity adjusted for the group mix.</p>
{group_shares_svg(result)}
<h3>Groups (composition)</h3>
<table class="dec"><thead><tr><th>group</th><th>described as (best hypothesis against the
rest; click for texts)</th><th>n A</th><th>n B</th><th>share A</th><th>share B</th>
<th>A − B</th><th>95% CI</th><th>q</th><th>sig</th><th>inside</th></tr></thead>
<tbody>{groups}</tbody></table>
<h3>Within-group differences</h3>
<p class="meta">q: Benjamini–Hochberg over one family, every composition test and every
within-group hypothesis.</p>
{within}
<h3>Recombined: raw vs group-adjusted validity</h3>
<table class="dec"><thead><tr><th>#</th><th>hypothesis</th><th>raw</th><th>adjusted</th>
<th>95% CI</th><th>q adj</th><th>per group</th><th>flags</th></tr></thead>
<tbody>{rec}</tbody></table>
<dl class="meta">{rules}</dl>
<ul class="meta">{notes}</ul>
"""


def render_decomposition_html(dec, top: int = 30) -> str:
    """The page of a decomposition on its own (schema ``wordlens.decomposition/1``)."""
    from types import SimpleNamespace

    from ..htmlpage import page

    return page("wordlens decompose", "<h1>How A differs from B, group by group</h1>"
                + decomposition_html(SimpleNamespace(decomposition=dec), top=top))


def _recombined_row(r, names: dict[int, str]) -> str:
    e = html.escape
    per = "; ".join(f"{e(names.get(g.group, str(g.group)))} {g.validity:+.2f}"
                    + ("*" if g.q_value is not None and g.q_value < 0.05 else "")
                    for g in r.per_group if g.validity is not None)
    flags = ", ".join(f.replace("_", " ") for f in r.flags)
    return (f"<tr class='{'sig' if r.flags else 'ns'}'><td>{r.rank}</td>"
            f"<td>{e(r.hypothesis)}</td><td>{r.raw_validity:+.3f}</td>"
            f"<td>{r.adjusted_validity:+.3f}</td>"
            f"<td>[{r.adjusted_ci_low:+.3f}, {r.adjusted_ci_high:+.3f}]</td>"
            f"<td>{(r.adjusted_q if r.adjusted_q is not None else 1.0):.2g}</td>"
            f"<td>{per}</td><td>{e(flags)}</td></tr>")


def write_report(result_json: str | Path, out: str | Path, top: int = 30,
                 warn: Callable[[str], None] | None = None) -> Path:
    """Read a diff result JSON and write the HTML page atomically. ``warn`` receives one line
    per thing the page may be missing (a result of a newer schema version); the page says
    it too."""
    path = Path(result_json)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else
                         f"{path}: not a file")
    check_output_file(out, inputs=[path])
    from ..groups_report import is_groups_result, write_groups_report

    if is_groups_result(path):
        return write_groups_report(path, out, top)
    try:
        result = DiffResult.load(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a wordlens diff result ({exc})") from None
    try:
        page = render_html(result, top=top)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise InputError(f"{path}: a field of the result has an unexpected type or value "
                         f"({type(exc).__name__}: {exc})") from None
    page = with_warnings(page, load_warnings(result), None if warn is None else (
        lambda m: warn(f"{path}: {m}")))
    return write_atomic(out, page)


def with_warnings(page: str, notes: list[str], warn: Callable[[str], None] | None = None
                  ) -> str:
    """``page`` with a warning banner under its title for each of ``notes`` (each also sent
    to ``warn``)."""
    for line in notes:
        if warn is not None:
            warn(line)
    if not notes:
        return page
    banner = "".join(f"<p class='warning'><b>Warning:</b> {html.escape(n)}</p>" for n in notes)
    return page.replace("</h1>", "</h1>\n" + banner, 1)
