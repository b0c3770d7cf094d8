"""Benchmark of `wordlens explain` + `wordlens predict` on HypoBench-style tasks.

Per task folder (train.jsonl / test.jsonl / ood.jsonl with {"text", "label"}, and
published.json with HypoBench's accuracies):

- explain the gold labels of train.jsonl through the real CLI (`wordlens explain
  --save-surrogate`, fresh embedding cache: a cold run), then `wordlens predict` the saved
  surrogate on test.jsonl (IND) and ood.jsonl (OOD), each in a fresh process and cache;
- the same with `--prune` (the surrogate keeps the hypotheses up to where the curve flattens);
- the same without sparse-autoencoder candidates (`--no-sae`, cache warm), to see what they add;
- TF-IDF + logistic regression trained on train.jsonl, accuracy IND / OOD (the reference);
- % explained of that TF-IDF + LR classifier: explain its 5-fold cross-validated predictions
  on train.jsonl (gold labels given) and read the cross-fitted % explained;
- HypoGeniC with GPT-4o-mini from published.json.

Settings are the command's defaults (nothing is tuned to these tasks).

    python scripts/bench_hypobench.py [DATA] [--tasks a b] [--out benchmarks/hypobench.json]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path("/work/shared/datasets/hypobench_dev")


def read(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def wordlens(args: list[str], cache: str) -> float:
    """Run the CLI in a new process with its own cache folder; returns wall seconds."""
    env = dict(os.environ, WORDLENS_CACHE_DIR=cache, HF_HUB_OFFLINE="1")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "wordlens", *args], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"wordlens {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return round(time.perf_counter() - t0, 2)


def tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                         LogisticRegression(C=10, max_iter=2000))


def published(folder: Path) -> dict:
    p = json.loads((folder / "published.json").read_text())
    res = p["results"]
    res = ast.literal_eval(res) if isinstance(res, str) else res
    g = res.get("GPT-4o-mini", {}).get("HypoGeniC", {})
    return {"hypogenic_gpt4omini_ind": g.get("ind_acc"),
            "hypogenic_gpt4omini_ood": g.get("ood_acc")}


def accuracy(preds: Path) -> float:
    rows = read(preds)
    return round(100 * float(np.mean([r["correct"] for r in rows])), 1)


def run_task(folder: Path, work: Path) -> dict:
    from sklearn.model_selection import cross_val_predict

    split = {s: read(folder / f"{s}.jsonl") for s in ("train", "test", "ood")}
    texts = {s: [r["text"] for r in rows] for s, rows in split.items()}
    gold = {s: [r["label"] for r in rows] for s, rows in split.items()}
    out: dict = {"task": folder.name, "n": {s: len(v) for s, v in texts.items()}}
    train = write(work / "train.jsonl", [{"text": t, "label": y}
                                         for t, y in zip(texts["train"], gold["train"])])
    sur, res = work / "surrogate.json", work / "explain.json"
    common = ["--prediction-field", "label", "--label-field", "label"]
    out["explain_s_cold"] = wordlens(["explain", str(train), *common, "--out", str(res),
                                      "--save-surrogate", str(sur)], str(work / "cache0"))
    for s, key in (("test", "ind"), ("ood", "ood")):
        preds = work / f"preds_{s}.jsonl"
        out[f"predict_{key}_s_cold"] = wordlens(
            ["predict", str(sur), str(folder / f"{s}.jsonl"), "--out", str(preds),
             "--label-field", "label"], str(work / f"cache_{s}"))
        out[f"surrogate_{key}"] = accuracy(preds)
    # the same with --prune: the surrogate keeps the hypotheses up to where the curve flattens
    sur_p, res_p = work / "surrogate_pruned.json", work / "explain_pruned.json"
    out["explain_pruned_s"] = wordlens(["explain", str(train), *common, "--prune", "--out",
                                        str(res_p), "--save-surrogate", str(sur_p)],
                                       str(work / "cache0"))
    for s, key in (("test", "ind"), ("ood", "ood")):
        preds = work / f"preds_pruned_{s}.jsonl"
        wordlens(["predict", str(sur_p), str(folder / f"{s}.jsonl"), "--out", str(preds),
                  "--label-field", "label"], str(work / "cache0"))
        out[f"surrogate_pruned_{key}"] = accuracy(preds)
    exp = json.loads(res_p.read_text())["explanations"][0]
    out["pruned_hypotheses"] = [h["hypothesis"] for h in exp["hypotheses"]]
    out["cross_fitted_accuracy_pruned"] = round(100 * exp["overall"]["surrogate_accuracy"], 1)
    ex = json.loads(res.read_text())["explanations"][0]
    out["cross_fitted_accuracy"] = [round(100 * c["surrogate_accuracy"], 1) for c in ex["curve"]]
    out["flattens_at"] = ex["flattens_at"]
    out["cross_fitted_accuracy_final"] = round(100 * ex["overall"]["surrogate_accuracy"], 1)
    out["hypotheses"] = [h["hypothesis"] for h in ex["hypotheses"]]
    out["sae"] = {k: v for k, v in (ex["sae"] or {}).items() if k != "neurons"}
    out["sae_selected"] = sum(h["source"] == "sparse autoencoder" for h in ex["hypotheses"])
    out["candidates"] = ex["candidates"]
    # without sparse-autoencoder candidates (warm cache)
    res0 = work / "explain_nosae.json"
    wordlens(["explain", str(train), *common, "--no-sae", "--out", str(res0)],
             str(work / "cache0"))
    ex0 = json.loads(res0.read_text())["explanations"][0]
    out["cross_fitted_accuracy_no_sae"] = round(100 * ex0["overall"]["surrogate_accuracy"], 1)
    # the reference classifier, and how much of it the hypotheses explain
    clf = tfidf().fit(texts["train"], gold["train"])
    out["tfidf_ind"] = round(100 * clf.score(texts["test"], gold["test"]), 1)
    out["tfidf_ood"] = round(100 * clf.score(texts["ood"], gold["ood"]), 1)
    cv = cross_val_predict(tfidf(), texts["train"], gold["train"], cv=5)
    tf_in = write(work / "tfidf_preds.jsonl", [
        {"text": t, "prediction": p, "label": y}
        for t, p, y in zip(texts["train"], cv.tolist(), gold["train"])])
    res_tf = work / "explain_tfidf.json"
    out["explain_tfidf_s"] = wordlens(["explain", str(tf_in), "--label-field", "label",
                                       "--out", str(res_tf)], str(work / "cache0"))
    o = json.loads(res_tf.read_text())["explanations"][0]["overall"]
    out["tfidf_cv_accuracy"] = round(100 * o["classifier_accuracy"], 1)
    out["surrogate_of_tfidf_cv_accuracy"] = round(100 * o["surrogate_accuracy"], 1)
    out["percent_explained_tfidf"] = o["percent_explained"]
    out["fidelity_to_tfidf"] = round(100 * o["fidelity"], 1)
    out.update(published(folder))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--tasks", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "hypobench.json")
    args = ap.parse_args()
    tasks = args.tasks or sorted(p.name for p in args.data.iterdir()
                                 if (p / "train.jsonl").exists())
    results = []
    for name in tasks:
        with tempfile.TemporaryDirectory(prefix="wl-hypobench-") as tmp:
            r = run_task(args.data / name, Path(tmp))
        results.append(r)
        print(f"{name}: surrogate IND {r['surrogate_ind']} / OOD {r['surrogate_ood']} | "
              f"TF-IDF+LR {r['tfidf_ind']} / {r['tfidf_ood']} | HypoGeniC (GPT-4o-mini) "
              f"{r['hypogenic_gpt4omini_ind']} / {r['hypogenic_gpt4omini_ood']} | % explained "
              f"of TF-IDF {r['percent_explained_tfidf']} | SAE kept {r['sae'].get('n_kept')} "
              f"of {r['sae'].get('n_alive')}, selected {r['sae_selected']} | cross-fitted "
              f"{r['cross_fitted_accuracy_final']} with {len(r['hypotheses'])} hypotheses (no SAE "
              f"{r['cross_fitted_accuracy_no_sae']}), "
              f"flattens at {r['flattens_at']} | explain {r['explain_s_cold']} s, predict "
              f"{r['predict_ind_s_cold']} s | --prune: IND {r['surrogate_pruned_ind']} / OOD "
              f"{r['surrogate_pruned_ood']}, cross-fitted {r['cross_fitted_accuracy_pruned']} "
              f"with {len(r['pruned_hypotheses'])}", flush=True)
        print("   top:", r["hypotheses"][:5], flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"data": str(args.data), "tasks": results}, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
