"""The expensive joint-encoding teacher."""

from __future__ import annotations

from wordlens.judges import JointEncodingJudge


def test_joint_teacher_reads_topics_and_costs_one_call_per_pair(encoder):
    judge = JointEncodingJudge(encoder)
    texts = ["The striker scored twice as the club won the league match.",
             "The new smartphone runs faster software and has a better camera."]
    m = judge.judge(["is about sports, athletes or matches",
                     "is about technology, computers, software or the internet"], texts)
    assert m.shape == (2, 2) and judge.expensive
    assert m[0, 0] > m[0, 1] and m[1, 1] > m[1, 0]
    assert judge.judgments_made == 4
