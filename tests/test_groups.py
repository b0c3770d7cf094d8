"""Many groups (`diff --by FIELD`): one split, one FDR family, the matrix, bad inputs."""

import json
import subprocess
import sys

import numpy as np
import pytest

from wordlens.errors import InputError
from wordlens.groups import GroupSplit, diff_groups
from wordlens.hypothesis import Hypothesis
from wordlens.registry import make_judge

FILLER = ["the report came out today", "people talked about it", "more news will follow",
          "it was a long week", "details are below", "nothing else changed"]
MARK = {"north": "snow", "south": "sunshine", "east": "wind", "west": None}


def texts(group, n, rng):
    out = []
    for _ in range(n):
        t = " and ".join(rng.choice(FILLER, 2))
        if MARK[group] and rng.uniform() < 0.8:
            t = f"{MARK[group]} again: {t}"
        out.append(t)
    return out


def groups(n=40, seed=0, marks=True):
    rng = np.random.default_rng(seed)
    return {g: texts(g if marks else "west", n, rng) for g in MARK}


def kw(word):
    return Hypothesis(f"uses the word '{word}'", "test", {"kind": "keywords", "words": [word]})


HYPS = [kw("snow"), kw("sunshine"), kw("wind"), kw("report")]


def test_each_group_against_the_rest_in_one_fdr_family():
    r = diff_groups(groups(), hypotheses=HYPS, judge=make_judge("exact"), seed=1)
    assert r.groups == ["east", "north", "south", "west"] and r.columns == r.groups
    assert r.settings["n_tests"] == 16 and len(r.validity) == 4
    sig = {(r.hypotheses[h], r.columns[k]) for h in range(4) for k in range(4)
           if r.significant[h][k] and r.validity[h][k] > 0}
    assert sig == {("uses the word 'snow'", "north"), ("uses the word 'sunshine'", "south"),
                   ("uses the word 'wind'", "east")}
    north = r.sections[r.columns.index("north")]
    assert north.hypotheses[0].hypothesis == "uses the word 'snow'"
    assert north.hypotheses[0].direction == "A" and north.against == "the rest"
    # one family: the q-values are BH over all 16 p-values together
    from wordlens.stats import benjamini_hochberg

    p = [h.p_value for s in r.sections for h in s.hypotheses]
    q = [h.q_value for s in r.sections for h in s.hypotheses]
    assert np.allclose(sorted(q), sorted(benjamini_hochberg(p)))


def test_reference_group_and_json_round_trip(tmp_path):
    from wordlens.groups_result import GroupsResult

    r = diff_groups(groups(), hypotheses=HYPS, judge=make_judge("exact"), reference="west")
    assert r.columns == ["east", "north", "south"] and r.sections[0].against == "west"
    back = GroupsResult.load(r.save(tmp_path / "g.json"))
    assert back.validity == r.validity and back.sections[1].hypotheses[0].hypothesis


def test_null_groups_find_nothing():
    r = diff_groups(groups(marks=False), hypotheses=HYPS, judge=make_judge("exact"))
    assert r.n_significant() == 0


def test_split_is_drawn_once_and_disjoint():
    g = groups()
    s = GroupSplit.draw(g, seed=4)
    for name in g:
        assert len(s.proposal[name]) + len(s.validation[name]) == 40
    assert GroupSplit.draw(g, seed=4).validation == s.validation


def test_bad_groups_are_errors():
    with pytest.raises(InputError, match="only one group"):
        diff_groups({"x": ["a text"] * 20}, hypotheses=HYPS)
    with pytest.raises(InputError, match="group 'y': 3 texts"):
        diff_groups({"x": ["a text"] * 20, "y": ["b"] * 3}, hypotheses=HYPS)
    with pytest.raises(InputError, match="--reference 'z': no such group"):
        diff_groups(groups(), hypotheses=HYPS, reference="z")


def cli(*args):
    p = subprocess.run([sys.executable, "-m", "wordlens", *map(str, args)],
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def write_rows(path, g):
    path.write_text("".join(json.dumps({"text": t, "region": k}) + "\n"
                            for k, ts in g.items() for t in ts))
    return path


def test_cli_matrix_json_and_heatmap(tmp_path):
    f = write_rows(tmp_path / "rows.jsonl", groups())
    out = tmp_path / "g.json"
    code, stdout, stderr = cli("diff", f, "--by", "region", "--proposer", "properties",
                               "--judge", "exact", "-o", out)
    assert code == 0, stderr
    assert "Many groups: 4 groups by field 'region'" in stdout and "Validity by group" in stdout
    r = json.loads(out.read_text())
    assert r["schema"] == "wordlens.groups/1" and len(r["sections"]) == 4
    page = tmp_path / "g.html"
    assert cli("report", out, "-o", page)[0] == 0
    html = page.read_text()
    assert "class='heat'" in html and "background: rgba(" in html


def one_error(code, stderr, needle):
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("wordlens: error:"), stderr
    assert needle in lines[0], lines[0]


def test_cli_bad_inputs(tmp_path):
    f = write_rows(tmp_path / "rows.jsonl", groups(12))
    one = write_rows(tmp_path / "one.jsonl", {"north": groups(12)["north"]})
    one_error(*cli("diff", one, "--by", "region")[::2], "only one group")
    one_error(*cli("diff", f, "--by", "nope")[::2], "missing field 'nope'")
    one_error(*cli("diff", f, f, "--by", "region")[::2], "one file")
    one_error(*cli("diff", f, "--by", "region", "--fast")[::2], "--fast")
    one_error(*cli("diff", f, f, "--reference", "x")[::2], "--reference needs --by")
    one_error(*cli("diff", f, "--by", "region", "--reference", "x", "--judge",
                   "exact")[::2], "no such group")
