import pytest

from wordlens.cli.main import main
from wordlens.diff.report import render_html, write_report
from wordlens.errors import InputError


@pytest.fixture(scope="module")
def small_result(datasets, encoder):
    import wordlens

    from .conftest import read_jsonl

    a = read_jsonl(datasets / "tweets_vs_movie" / "a.jsonl", limit=60)
    b = read_jsonl(datasets / "tweets_vs_movie" / "b.jsonl", limit=60)
    return wordlens.diff(a, b, goal="<script>alert(1)</script>")


def test_report_reads_only_the_json(small_result, tmp_path):
    path = small_result.save(tmp_path / "r.json")
    out = write_report(path, tmp_path / "r.html")
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<svg" in page
    top = small_result.hypotheses[0]
    assert f"{top.validity:+.3f}" in page
    assert "<script>alert(1)</script>" not in page  # user text is escaped


def test_report_lists_examples_and_definitions(small_result):
    page = render_html(small_result)
    assert "Definitions" in page and "Benjamini" in page
    ex = small_result.hypotheses[0].examples_for[0]
    import html

    assert html.escape(ex) in page


def test_report_rejects_a_non_result(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="not a wordlens diff result"):
        write_report(bad, tmp_path / "x.html")
    assert main(["report", str(bad), "--out", str(tmp_path / "x.html")]) == 2
    assert "not a wordlens result" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_report_shows_one_row_per_finding_with_the_rest_under_it(small_result):
    import html

    page = render_html(small_result)
    hyps = small_result.hypotheses
    assert all(h.group is not None for h in hyps)
    grouped = [h for h in hyps if h.group != h.rank and h.group <= 30]
    for h in grouped[:3]:
        assert html.escape(h.hypothesis) + " (" in page  # listed under its group's best
    leaders = [h.rank for h in hyps if h.group == h.rank]
    assert leaders == list(range(1, len(leaders) + 1))  # the groups' best come first


def test_report_names_a_result_kind_it_cannot_render(tmp_path, capsys):
    other = tmp_path / "paired.json"
    other.write_text('{"schema": "wordlens.foo/1"}')
    assert main(["report", str(other), "--out", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "is a wordlens.foo/1 result; report renders diff, explain, distill, decompose" in err
    assert not (tmp_path / "x.html").exists()


def test_report_renders_an_explain_result(tmp_path, capsys):
    from wordlens.explain.result import ExplainResult, TargetExplanation

    curve = [{"n_hypotheses": n, "added": f"h{n}", "fidelity": 0.8 + n / 100,
              "percent_predictions_explained": 20.0 * n} for n in (1, 2)]
    ex = TargetExplanation(target=1, hypotheses=[], curve=curve,
                           overall={"baseline_fidelity": 0.5}, n_candidates=10,
                           selection_fidelity=[0.8, 0.82], surrogate={})
    res = ExplainResult(explanations=[ex], classes=[0, 1], positive=1, task="binary",
                        data={"source": "p.jsonl", "n_texts": 100, "n_folds": 5,
                              "has_gold": False}, settings={}, judge={"name": "offline"},
                        proposer={"name": "offline"})
    path = res.save(tmp_path / "e.json")
    assert main(["report", str(path), "--out", str(tmp_path / "e.html")]) == 0
    page = (tmp_path / "e.html").read_text()
    assert "% explained by the first n hypotheses" in page and "40.0" in page
    assert "No hypothesis was flagged" in page
    assert "100 texts of p.jsonl" in page and "over 5 folds" in page and "None" not in page
