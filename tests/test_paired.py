"""`wordlens diff --paired / --pair-id`: end to end through the CLI, bad inputs, and the
paired LLM proposer's side-by-side prompt."""

import json
import subprocess
import sys

import numpy as np

from .llm_server import ScriptedLLMServer

WORDS = ["river", "garden", "market", "winter", "station", "letter", "bridge", "forest",
         "kitchen", "harbor", "island", "museum", "valley", "theater", "village"]


def pair_rows(n=80, seed=0, effect=True):
    """B answers say 'sorry' in most pairs (A rarely); both share the pair's own topic."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        topic = " ".join(rng.choice(WORDS, 3))
        a = b = f"About the {topic}: here is the answer number {i}."
        if effect and rng.uniform() < 0.7:
            b = "Sorry, " + b
        if rng.uniform() < 0.1:
            a = "Sorry, " + a
        out.append({"pid": f"q{i}", "model_a": a, "model_b": b})
    return out


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def cli(*args):
    p = subprocess.run([sys.executable, "-m", "wordlens", *map(str, args)],
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_paired_diff_end_to_end(tmp_path):
    f = write(tmp_path / "pairs.jsonl", pair_rows())
    out = tmp_path / "r.json"
    code, stdout, stderr = cli("diff", f, "--paired", "model_a", "model_b", "--pair-id", "pid",
                               "--proposer", "properties", "--judge", "exact", "-o", out)
    assert code == 0, stderr
    assert "Paired analysis: 40 held-out pairs" in stdout
    r = json.loads(out.read_text())
    assert r["settings"]["paired"]["n_validation_pairs"] == 40
    assert r["settings"]["paired"]["proposer_sees_pairs"]
    assert "mean over pairs" in r["definitions"]["validity"]
    top = r["hypotheses"][0]
    # 'Sorry, ...' in B: A reads as more positive (VADER), pair by pair
    assert top["significant"] and abs(top["validity"]) > 0.3
    assert top["test"].startswith("McNemar")
    assert sum(h["significant"] for h in r["hypotheses"]) <= 3  # pairs share their topic
    assert top["n_a"] == top["n_b"] == 40
    assert r["proposer"]["paired"] and "paired phrases" in str(r["proposer"]["sources"])
    page = tmp_path / "r.html"
    assert cli("report", out, "-o", page)[0] == 0
    assert "Paired analysis" in page.read_text()


def test_two_files_joined_by_pair_id(tmp_path):
    rows = pair_rows(40)
    a = write(tmp_path / "a.jsonl", [{"pid": r["pid"], "text": r["model_a"]} for r in rows])
    b = write(tmp_path / "b.jsonl", [{"pid": r["pid"], "text": r["model_b"]}
                                     for r in rows[::-1]])
    out = tmp_path / "r.json"
    (tmp_path / "h.txt").write_text("apologizes\n")
    code, _, stderr = cli("diff", a, b, "--pair-id", "pid", "--hypotheses",
                          tmp_path / "h.txt", "-o", out)
    assert code == 0, stderr
    assert json.loads(out.read_text())["settings"]["paired"]["n_pairs"] == 40


def one_error(code, stderr, *needles):
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("wordlens: error:"), stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_bad_paired_inputs_are_one_line_errors(tmp_path):
    f = write(tmp_path / "pairs.jsonl", pair_rows(20))
    one_error(*cli("diff", f, "--paired", "model_a", "nope")[::2], "missing field 'nope'")
    rows = pair_rows(20)
    a = write(tmp_path / "a.jsonl", [{"pid": r["pid"], "text": r["model_a"]} for r in rows])
    b = write(tmp_path / "b.jsonl", [{"pid": r["pid"], "text": r["model_b"]}
                                     for r in rows[:-2]])
    one_error(*cli("diff", a, b, "--pair-id", "pid")[::2], "2 pair id(s)", "missing")
    dup = write(tmp_path / "dup.jsonl", [{"pid": "x", "text": r["model_b"]} for r in rows])
    one_error(*cli("diff", a, dup, "--pair-id", "pid")[::2], "more than once", "'x'")
    one_error(*cli("diff", a, b, "--paired", "text", "text")[::2], "--pair-id")
    one_error(*cli("diff", f)[::2], "missing argument B")
    # --fast / --engine and --verify amortized take pairs, but not together
    one_error(*cli("diff", f, "--paired", "model_a", "model_b", "--engine", "inprocess",
                   "--verify", "amortized")[::2], "cannot stream")
    one_error(*cli("diff", f, "--paired", "model_a", "model_b", "--decompose", "auto")[::2],
              "--decompose does not apply to pairs", "within each pair")
    small = write(tmp_path / "small.jsonl", pair_rows(5))
    one_error(*cli("diff", small, "--paired", "model_a", "model_b")[::2], "5 pairs")


def test_llm_proposer_sees_pairs_side_by_side(tmp_path):
    from wordlens import diff
    from wordlens.proposers.llm import build_proposer

    from .conftest import TEST_DATA, read_jsonl

    pair = TEST_DATA / "bbc_tech_vs_sports"  # tech and sports articles, paired up by line
    ta, tb = read_jsonl(pair / "a.jsonl", limit=24), read_jsonl(pair / "b.jsonl", limit=24)
    f = write(tmp_path / "pairs.jsonl", [{"model_a": x[:300], "model_b": y[:300]}
                                         for x, y in zip(ta, tb)])
    with ScriptedLLMServer() as srv:
        prop = build_proposer("openai-compatible:scripted", base_url=srv.url,
                              cache_dir=str(tmp_path / "c"))
        res = diff(f, paired=("model_a", "model_b"), proposer=prop, seed=0)
    assert res.proposer["paired"] and res.proposer["prompt"] == "pairs side by side"
    assert res.settings["paired"]["proposer_sees_pairs"]
    found = {h.hypothesis: h.direction for h in res.hypotheses}  # both directions proposed
    assert found.get("is about technology") == "A" and found.get("is about sports") == "B"
    from wordlens.proposers.paired_llm import paired_llm_proposer

    req = paired_llm_proposer(prop)._pair_request([("first A", "first B")], None)
    user = req["messages"][1]["content"]
    assert 'id="1A"' in user and 'id="1B"' in user and "same item" in user


def test_pair_phrases_count_within_pair_differences():
    from wordlens.proposers.paired import pair_phrase_hypotheses

    rows = pair_rows(60)
    hyps = pair_phrase_hypotheses([r["model_a"] for r in rows], [r["model_b"] for r in rows])
    words = [h.form["words"][0] for h in hyps]
    # the shared topic words differ in no pair: only 'sorry' (and 'sorry about', the bigram it
    # makes with the shared text) is proposed, for B
    assert words[0] == "sorry" and all(w.startswith("sorry") for w in words)
    assert all(h.text.startswith("uses the") for h in hyps)
