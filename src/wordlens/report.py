"""A self-contained HTML page for a diff result. It reads only the result JSON."""

from __future__ import annotations

import html
import io
from pathlib import Path

from .errors import InputError
from .outfile import check_output_file, write_atomic
from .result import DiffResult


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
    for h in result.hypotheses[:top]:
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
            f"</details></td><td>{h.validity:+.3f}</td>"
            f"<td>[{h.ci_low:+.3f}, {h.ci_high:+.3f}]</td><td>{h.p_value:.2g}</td>"
            f"<td>{h.q_value:.2g}</td><td>{h.auc:.2f}</td>"
            f"<td>{('*?' if h.flags else '*') if h.significant else ''}</td></tr>")
    defs = "".join(f"<dt>{e(k)}</dt><dd>{e(d)}</dd>" for k, d in result.definitions.items())
    notes = "".join(f"<li>{e(n)}</li>" for n in result.notes)
    goal = f"<p>Research goal: {e(result.goal)}</p>" if result.goal else ""
    controls = _controls_html(result.judge_controls)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wordlens: {e(a.name)} vs {e(b.name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.35em; text-align: right;
         vertical-align: top; }}
td:nth-child(3), th:nth-child(3) {{ text-align: left; }}
tr.ns {{ color: #888; }}
summary {{ cursor: pointer; }}
.meta {{ color: #666; font-size: 0.85em; }}
.flag {{ color: #b35900; font-weight: 600; }}
dt {{ font-weight: 600; }}
</style></head><body>
<h1>How A differs from B</h1>
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
<p class="meta">Click a hypothesis for example texts.</p>
<table><thead><tr><th>#</th><th>more in</th><th>texts on this side more often …</th>
<th>validity</th><th>95% CI</th><th>p</th><th>q (BH)</th><th>AUC</th><th>sig</th></tr>
</thead><tbody>{''.join(rows)}</tbody></table>
{controls}
<h2>Notes</h2><ul>{notes or '<li>none</li>'}</ul>
<h2>Definitions</h2><dl>{defs}</dl>
<p class="meta">wordlens {e(result.wordlens_version)}, {e(result.created_at)}</p>
</body></html>
"""


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


def write_report(result_json: str | Path, out: str | Path, top: int = 30) -> Path:
    """Read a diff result JSON and write the HTML page atomically."""
    path = Path(result_json)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else
                         f"{path}: not a file")
    check_output_file(out, inputs=[path])
    try:
        result = DiffResult.load(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a wordlens diff result ({exc})") from None
    try:
        page = render_html(result, top=top)
    except (ValueError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: a field of the result has an unexpected type "
                         f"({type(exc).__name__}: {exc})") from None
    return write_atomic(out, page)
