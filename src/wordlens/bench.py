"""`wordlens bench`: run diff on every pair folder and check the known answers."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError
from .hypothesis import Hypothesis
from .progress import phase
from .result import DiffResult
from .stats import correlation

#: a hypothesis "matches" the truth when either criterion holds (both are reported)
AGREEMENT_THRESHOLD = 0.5  # Pearson correlation of judgments, signed by direction
SIMILARITY_THRESHOLD = 0.6  # cosine similarity of the sentences (all-MiniLM-L6-v2)


def shipped_pairs_dir() -> Path:
    """The small pair set shipped inside the package (``wordlens/data/bench_pairs``)."""
    return Path(__file__).resolve().parent / "data" / "bench_pairs"


def read_meta(pair: Path) -> dict[str, Any]:
    """A pair's ``meta.json``, checked: an object with ``kind`` ("difference", "null" or
    "classifier") and ``truth`` (a list of strings)."""
    p = pair / "meta.json"
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}:{exc.lineno}: malformed JSON ({exc.msg})") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise InputError(f"{p}: cannot read ({type(exc).__name__})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{p}: expected a JSON object, got {type(meta).__name__}")
    kind = meta.get("kind", "difference")
    if kind not in ("difference", "null", "classifier"):
        raise InputError(f"{p}: field 'kind' is {kind!r}; expected 'difference', 'null' or "
                         "'classifier'")
    truth = meta.get("truth", [])
    if isinstance(truth, str):
        truth = [truth]
    if not isinstance(truth, list) or not all(isinstance(t, str) and t.strip() for t in truth):
        raise InputError(f"{p}: field 'truth' must be a list of non-empty strings")
    if kind == "difference" and not truth:
        raise InputError(f"{p}: a 'difference' pair needs at least one 'truth' phrasing")
    return {**meta, "kind": kind, "truth": truth}


def find_pairs(directory: str | Path) -> list[Path]:
    d = Path(directory)
    if not d.is_dir():
        raise InputError(f"{d}: not a folder")
    pairs = sorted(p for p in d.iterdir() if (p / "meta.json").exists()
                   and (p / "a.jsonl").exists() and (p / "b.jsonl").exists())
    if not pairs:
        raise InputError(f"{d}: no pair folders (each needs a.jsonl, b.jsonl and meta.json)")
    return pairs


def truth_match(result: DiffResult, truths: Sequence[str], texts: list[str], judge,
                top: int = 5) -> list[dict[str, Any]]:
    """For each of the top hypotheses: its best agreement with any truth phrasing.

    - agreement: Pearson correlation, over the pair's texts, between the judge's judgments of
      the hypothesis and of the truth phrasing; multiplied by -1 for a B-side hypothesis (the
      truth describes what A has more often).
    - similarity: cosine similarity of the two sentences under the encoder. Similarity cannot
      see direction, so an A-side hypothesis is compared with the truth phrasing, and a B-side
      one only with the contrasted part of a truth of the form "X rather than Y" (Y).
    """
    from .encoders import default_encoder

    rows = result.hypotheses[:top]
    if not rows or not truths:
        return []
    from .judges.embedding import split_contrast

    hyps = [Hypothesis(r.hypothesis, r.source, r.form) for r in rows]
    jt = judge.judge([Hypothesis(t) for t in truths], texts)
    jh = judge.judge(hyps, texts)
    enc = default_encoder()
    a_side = list(truths)
    # "X rather than Y": Y describes what B has more often
    b_side = [y for y in (split_contrast(t)[1] for t in truths) if y]
    sim_a = enc.encode([r.hypothesis for r in rows]) @ enc.encode(a_side).T
    sim_b = (enc.encode([r.hypothesis for r in rows]) @ enc.encode(b_side).T) if b_side \
        else None
    out = []
    for i, r in enumerate(rows):
        sign = 1.0 if r.direction == "A" else -1.0
        corrs = [correlation(jh[i], jt[k]) * sign for k in range(len(truths))]
        agreement = float(max(corrs))
        if r.direction == "A":
            similarity = float(sim_a[i].max())
        else:
            similarity = float(sim_b[i].max()) if sim_b is not None else float("nan")
        by = [name for name, ok in (("judge agreement", agreement >= AGREEMENT_THRESHOLD),
                                    ("text similarity", similarity >= SIMILARITY_THRESHOLD))
              if ok]
        out.append({"rank": r.rank, "hypothesis": r.hypothesis, "direction": r.direction,
                    "agreement": round(agreement, 3),
                    "similarity": None if np.isnan(similarity) else round(similarity, 3),
                    "matched_by": by})
    return out


def run_bench(directory: str | Path, *, max_texts: int | None = None, seed: int = 0,
              judge: str = "offline", proposer: str = "offline",
              only: Sequence[str] | None = None, log=None, fast: bool = False,
              keep_results: dict[str, DiffResult] | None = None) -> dict[str, Any]:
    """Run diff on each pair; returns a JSON-safe report (per pair and totals).

    ``fast`` runs ``diff --fast`` (its own judge and proposer where ``judge`` / ``proposer``
    are the defaults); the known answers are then still matched with the default offline
    judge, so both modes are scored alike. ``keep_results`` (a dict) receives each pair's
    :class:`DiffResult` by pair name."""
    from .diff import diff
    from .registry import make_judge, make_proposer

    pairs = find_pairs(directory)
    if only:
        unknown = sorted(set(only) - {p.name for p in pairs})
        if unknown:
            raise InputError(f"--only: no pair folder named {', '.join(unknown)} in {directory} "
                             f"(available: {', '.join(p.name for p in pairs)})")
        pairs = [p for p in pairs if p.name in set(only)]
    metas = {p: read_meta(p) for p in pairs}  # every meta.json checked before any work
    report: dict[str, Any] = {"pairs": [], "settings": {"max_texts": max_texts, "seed": seed,
                                                       "judge": judge, "proposer": proposer,
                                                       "fast": fast,
                                                       "agreement_threshold": AGREEMENT_THRESHOLD,
                                                       "similarity_threshold":
                                                           SIMILARITY_THRESHOLD}}
    t_all = time.perf_counter()
    runnable = [p for p in pairs if metas[p]["kind"] in ("difference", "null")]
    with phase("bench", total=len(runnable), unit="pairs") as bar:
        for p in pairs:
            meta = metas[p]
            kind = meta["kind"]
            if kind not in ("difference", "null"):
                continue
            j = make_judge(judge)
            default = fast and judge == "offline"
            t0 = time.perf_counter()
            res = diff(p / "a.jsonl", p / "b.jsonl", judge=None if default else j,
                       proposer=None if fast and proposer == "offline" else
                       make_proposer(proposer), seed=seed, max_texts=max_texts, fast=fast)
            wall = time.perf_counter() - t0
            if keep_results is not None:
                keep_results[p.name] = res
            entry: dict[str, Any] = {
                "pair": p.name, "kind": kind, "truth": meta.get("truth", []),
                "n_a": res.corpus_a.n_texts, "n_b": res.corpus_b.n_texts,
                "wall_s": round(wall, 2), "n_significant": len(res.significant),
                "n_hypotheses": len(res.hypotheses),
                "top5": [{"rank": h.rank, "direction": h.direction, "hypothesis": h.hypothesis,
                          "validity": round(h.validity, 3), "q_value": h.q_value,
                          "significant": h.significant} for h in res.top(5)],
            }
            if kind == "difference":
                texts = res.split_.a + res.split_.b  # the texts this run used
                matches = truth_match(res, meta.get("truth", []), texts, j)
                entry["matches"] = matches
                hit = next((m for m in matches if m["matched_by"]), None)
                entry["truth_in_top5"] = hit is not None
                entry["matched"] = hit
            report["pairs"].append(entry)
            if log:
                log(entry)
            bar.advance()
    diffs = [e for e in report["pairs"] if e["kind"] == "difference"]
    nulls = [e for e in report["pairs"] if e["kind"] == "null"]
    report["totals"] = {
        "difference_pairs": len(diffs),
        "truth_in_top5": sum(e["truth_in_top5"] for e in diffs),
        "null_pairs": len(nulls),
        "null_pairs_with_significant": sum(e["n_significant"] > 0 for e in nulls),
        "wall_s": round(time.perf_counter() - t_all, 2),
    }
    return report


def print_bench(report: dict[str, Any], console=None) -> None:
    from rich.console import Console

    console = console or Console()
    if not console.is_terminal and console.width < 140:
        console.width = 140
    for e in report["pairs"]:
        head = f"[bold]{e['pair']}[/bold] ({e['kind']}, {e['n_a']}+{e['n_b']} texts, " \
               f"{e['wall_s']:.1f}s, {e['n_significant']}/{e['n_hypotheses']} significant)"
        console.print(head)
        if e["kind"] == "difference":
            console.print(f"  truth: {'; '.join(e['truth'])}")
        matches = {m["rank"]: m for m in e.get("matches", [])}
        for h in e["top5"]:
            m = matches.get(h["rank"])
            tag = ""
            if m is not None:
                tag = f"  [agree {m['agreement']:+.2f}"
                tag += f", sim {m['similarity']:.2f}]" if m["similarity"] is not None else "]"
                if m["matched_by"]:
                    tag += f" [green]MATCH by {', '.join(m['matched_by'])}[/green]"
            sig = "*" if h["significant"] else " "
            console.print(f"  {h['rank']}. {h['direction']} {h['validity']:+.2f}{sig} "
                          f"{h['hypothesis']}{tag}", highlight=False)
        if e["kind"] == "difference":
            console.print(f"  known difference in top 5: "
                          f"{'[green]yes[/green]' if e['truth_in_top5'] else '[red]no[/red]'}")
        else:
            console.print(f"  significant hypotheses on null pair: {e['n_significant']}")
    t = report["totals"]
    console.print(f"[bold]totals[/bold]: known difference in top 5 on {t['truth_in_top5']}/"
                  f"{t['difference_pairs']} difference pairs; null pairs with any significant "
                  f"hypothesis: {t['null_pairs_with_significant']}/{t['null_pairs']}; "
                  f"wall {t['wall_s']:.1f}s")
    console.print(f"match = judge agreement >= {AGREEMENT_THRESHOLD} (correlation of judgments "
                  f"with the truth phrasing, signed by direction) or text similarity >= "
                  f"{SIMILARITY_THRESHOLD} (A-side with the truth; B-side with its 'rather than' "
                  "part)", style="dim")
