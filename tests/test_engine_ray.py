"""--engine ray gives the same hypotheses, statistics, groups and judge controls as the
in-process run, also when a worker is killed mid-run (Ray runs its task again)."""

from __future__ import annotations

import dataclasses

import pytest

from wordlens.diff import diff

from .engine_judges import HYPOTHESES, HashJudge, KillOnceJudge, corpora

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'wordlens[ray]')")


@pytest.fixture(scope="module")
def local_ray():
    # a fresh local instance even when another Ray cluster runs on this machine
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _same(x, y):
    assert [dataclasses.asdict(r) for r in x.hypotheses] == \
        [dataclasses.asdict(r) for r in y.hypotheses]
    assert x.verification == y.verification
    assert x.judge_controls == y.judge_controls


def _run(judge, engine):
    from wordlens.engine.ray_engine import RayEngine

    a, b = corpora(900, 800)
    eng = RayEngine(in_flight=4) if engine == "ray" else engine
    return diff(a, b, hypotheses=HYPOTHESES, judge=judge, seed=1, top_k=3, engine=eng,
                judge_controls=True)


def test_ray_engine_equals_in_process(local_ray):
    ref = _run(HashJudge(), "inprocess")
    got = _run(HashJudge(), "ray")
    assert got.settings["engine"]["name"] == "ray" and got.settings["engine"]["cpus"] == 2
    _same(ref, got)
    assert any(h.significant for h in got.hypotheses)
    assert got.judge_controls is not None and len(got.judge_controls["controls"]) == 3


def test_killed_worker_is_retried_and_changes_nothing(local_ray, tmp_path):
    marker = tmp_path / "killed"
    ref = _run(HashJudge(), "inprocess")
    got = _run(KillOnceJudge(str(marker)), "ray")
    assert marker.exists()  # a worker really died (SIGKILL) during the run
    _same(ref, got)
