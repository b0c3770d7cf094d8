"""The HTML page of an explain result (``wordlens report explain.json``): the curve of %
explained, the selected hypotheses, the flags."""

from __future__ import annotations

from ..htmlpage import PLOT_OMITTED, e, num, page, pyplot, svg, table
from .result import ExplainResult, TargetExplanation


def curve_svg(ex: TargetExplanation, gold: bool) -> str:
    """% explained against the number of hypotheses in the surrogate (matplotlib)."""
    plt = pyplot()
    if plt is None:
        return PLOT_OMITTED
    if not ex.curve:
        return ""
    ns = [c["n_hypotheses"] for c in ex.curve]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    keys = [("percent_predictions_explained", "% of predictions explained")]
    if gold:
        keys += [("percent_explained", "% explained (accuracy)"),
                 ("percent_explained_auc", "% explained (AUC)")]
    # distinct markers and dashes: equal curves (a classifier that matches the labels)
    # stay visible on top of each other
    for (key, label), style in zip(keys, ("o-", "s--", "^:")):
        ys = [c.get(key) for c in ex.curve]
        ax.plot(ns, [float("nan") if y is None else y for y in ys], style, label=label,
                markersize=5)
    ax.set_xticks(ns)
    ax.set_xlabel("hypotheses in the surrogate (first n selected)")
    ax.set_ylabel("%")
    ax.set_ylim(min(0, ax.get_ylim()[0]), max(100, ax.get_ylim()[1]))
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return svg(fig)


def _target_html(ex: TargetExplanation, gold: bool) -> str:
    heads = ["#", "a text predicted this class more often ...", "pos", "neg", "drive",
             "weight"] + (["gold link"] if gold else [])
    rows = [[h.rank, h.hypothesis + ("  [flagged]" if h.flags else ""),
             num(h.share_predicted_positive, ".2f"), num(h.share_predicted_negative, ".2f"),
             num(h.drive, "+.2f"), num(h.weight, "+.2f") if h.in_surrogate else "-"]
            + ([num(h.gold_link, "+.2f")] if gold else []) for h in ex.hypotheses]
    cheads = ["n", "added", "fidelity", "% predictions explained"] + (
        ["accuracy", "% explained", "AUC", "% explained (AUC)"] if gold else [])
    crows = [[c["n_hypotheses"], c.get("added", ""), num(c.get("fidelity")),
              num(c.get("percent_predictions_explained"), ".1f")]
             + ([num(c.get("surrogate_accuracy")), num(c.get("percent_explained"), ".1f"),
                 num(c.get("surrogate_auc")), num(c.get("percent_explained_auc"), ".1f")]
                if gold else []) for c in ex.curve]
    o = ex.overall
    overall = (f"Classifier: accuracy {num(o.get('classifier_accuracy'))}, AUC "
               f"{num(o.get('classifier_auc'))}; majority-class accuracy "
               f"{num(o.get('baseline_accuracy'))}; baseline fidelity "
               f"{num(o.get('baseline_fidelity'))}." if gold else
               f"Baseline fidelity (the classifier's majority prediction) "
               f"{num(o.get('baseline_fidelity'))}; no gold labels given.")
    return (f"<h2>What drives predictions of class {e(repr(ex.target))}</h2>"
            + table(heads, rows, text_columns=(1,))
            + "<h3>% explained by the first n hypotheses (cross-fitted)</h3>"
            + curve_svg(ex, gold)
            + table(cheads, crows, text_columns=(1,))
            + f"<p>{e(overall)}</p>")


def render_explain_html(result: ExplainResult) -> str:
    """The whole page as one string."""
    d = result.data
    gold = bool(d.get("has_gold"))
    flags = "".join(f"<li><span class='flag'>{e(f.kind)}</span>: {e(f.sentence)}</li>"
                    for f in result.flags)
    flags = (f"<h2>Flags (possible spurious cues)</h2><ul>{flags}</ul>" if flags else
             "<h2>Flags</h2><p>No hypothesis was flagged.</p>")
    notes = "".join(f"<li>{e(n)}</li>" for n in result.notes)
    defs = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in result.definitions.items())
    body = (f"<h1>What the classifier has learned</h1>"
            f"<p>{d.get('n_texts')} texts of {e(str(d.get('source')))}: the surrogate is "
            f"fitted on all of them; the % explained curve is cross-fitted over "
            f"{d.get('n_folds')} folds (hypotheses proposed, selected and fitted on the other "
            f"folds, scored on the held-out one). Judge: "
            f"{e(str(result.judge.get('name')))}. Proposer: "
            f"{e(str(result.proposer.get('name')))}.</p>"
            + "".join(_target_html(ex, gold) for ex in result.explanations)
            + flags + f"<h2>Notes</h2><ul>{notes or '<li>none</li>'}</ul>"
            f"<h2>Definitions</h2><dl class='meta'>{defs}</dl>"
            f"<p class='meta'>wordlens {e(result.wordlens_version)}, "
            f"{e(result.created_at)}</p>")
    return page(f"wordlens explain: {d.get('source')}", body)
