"""A self-contained HTML page for a many-group result: the hypothesis x group matrix as a
heatmap (an HTML table coloured by validity; no plotting library needed) and one table per
group."""

from __future__ import annotations

import html
import json
from pathlib import Path

from .groups_result import GroupsResult
from .outfile import write_atomic


def is_groups_result(path: str | Path) -> bool:
    """Whether the JSON file at ``path`` is a groups result (by its schema)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return str(json.load(fh).get("schema", "")).startswith("wordlens.groups/")
    except (OSError, ValueError, AttributeError):
        return False


def _cell(v: float | None, sig: bool, q: float | None) -> str:
    if v is None:
        return "<td>-</td>"
    a = min(abs(v) / 0.5, 1.0) * (0.85 if sig else 0.3)
    rgb = "26,150,65" if v > 0 else "215,48,39"
    mark = "*" if sig else ""
    return (f"<td style='background: rgba({rgb},{a:.2f})' title='q = {q:.2g}'>"
            f"{v:+.2f}{mark}</td>")


def heatmap_html(result: GroupsResult, top: int = 40) -> str:
    """The matrix: rows = hypotheses, columns = groups, cells coloured by validity."""
    e = html.escape
    head = "".join(f"<th>{e(g)}</th>" for g in result.columns)
    body = []
    for h in result.matrix_order(top):
        cells = "".join(_cell(result.validity[h][k], result.significant[h][k],
                              result.q_value[h][k]) for k in range(len(result.columns)))
        body.append(f"<tr><td class='h'>{e(result.hypotheses[h])}</td>{cells}</tr>")
    return (f"<table class='heat'><thead><tr><th>hypothesis</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def render_groups_html(result: GroupsResult, top: int = 30) -> str:
    e = html.escape
    ref = f"against {e(result.reference)}" if result.reference else "each against the rest"
    sections = []
    for s in result.sections:
        rows = "".join(
            f"<tr class='{'sig' if h.significant else 'ns'}'><td class='h'>"
            f"{e(s.group if h.direction == 'A' else s.against)}</td><td class='h'>"
            f"{e(h.hypothesis)}</td><td>{h.validity:+.3f}</td>"
            f"<td>[{h.ci_low:+.3f}, {h.ci_high:+.3f}]</td><td>{h.q_value:.2g}</td></tr>"
            for h in s.hypotheses[:top])
        sections.append(f"<h2>{e(s.group)} vs {e(s.against)}</h2><p class='meta'>"
                        f"{s.n_validation} vs {s.n_validation_other} held-out texts; "
                        f"{len(s.significant)} significant.</p><table><thead><tr>"
                        "<th>more often in</th><th>hypothesis</th><th>validity</th>"
                        "<th>95% CI</th><th>q</th></tr></thead>"
                        f"<tbody>{rows}</tbody></table>")
    notes = "".join(f"<li>{e(n)}</li>" for n in result.notes)
    defs = "".join(f"<dt>{e(k)}</dt><dd>{e(d)}</dd>" for k, d in result.definitions.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wordlens: groups by {e(result.field)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; margin-bottom: 1em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.35em; text-align: right; }}
td.h, th:first-child {{ text-align: left; }}
tr.ns {{ color: #888; }}
.meta {{ color: #666; font-size: 0.85em; }}
dt {{ font-weight: 600; }}
</style></head><body>
<h1>How {len(result.groups)} groups differ (field {e(result.field)})</h1>
<p>Groups: {e(', '.join(result.groups))}; {ref}. {len(result.hypotheses)} hypotheses x
{len(result.columns)} groups = {result.settings.get('n_tests')} tests in one
Benjamini&ndash;Hochberg family; {result.n_significant()} significant at q &lt;
{result.alpha}. Seed {result.seed}.</p>
<h2>Validity by group</h2>
<p class="meta">Green: more often in the group; red: less often; * significant; hover for
q.</p>
{heatmap_html(result)}
{''.join(sections)}
<h2>Notes</h2><ul>{notes or '<li>none</li>'}</ul>
<h2>Definitions</h2><dl>{defs}</dl>
<p class="meta">wordlens {e(result.wordlens_version)}, {e(result.created_at)}</p>
</body></html>
"""


def write_groups_report(path: str | Path, out: str | Path, top: int = 30) -> Path:
    """Read a groups result JSON (checked by the caller) and write its page atomically."""
    from .errors import InputError

    try:
        result = GroupsResult.load(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a wordlens groups result ({exc})") from None
    return write_atomic(out, render_groups_html(result, top))
