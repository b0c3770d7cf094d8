"""Group-adjusted (Mantel-Haenszel) validity and the flags that compare it with the raw one."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.diff.decompose.stratified import (
    COMPOSITION,
    CONSISTENT,
    MASKED,
    REVERSES,
    SOME_GROUPS,
    cochran_q,
    flags_for,
    stratified_difference,
)


def _binary(n: int, k: int) -> np.ndarray:
    return np.array([1.0] * k + [0.0] * (n - k))


def _case(groups):
    """groups: list of (n_a, k_a, n_b, k_b) -> judgments and labels of A and B."""
    ja, jb, ga, gb = [], [], [], []
    for g, (na, ka, nb, kb) in enumerate(groups):
        ja.append(_binary(na, ka))
        jb.append(_binary(nb, kb))
        ga += [g] * na
        gb += [g] * nb
    return np.concatenate(ja), np.concatenate(jb), np.array(ga), np.array(gb)


def test_stratified_estimate_is_the_mantel_haenszel_weighted_difference():
    ja, jb, ga, gb = _case([(100, 60, 50, 20), (40, 10, 80, 30)])
    est = stratified_difference(ja, jb, ga, gb)
    d = np.array([0.6 - 0.4, 0.25 - 0.375])
    w = np.array([100 * 50 / 150, 40 * 80 / 120])
    assert est.adjusted == pytest.approx(float(w @ d / w.sum()))
    assert est.raw == pytest.approx(70 / 140 - 50 / 130)
    va = [np.var(_binary(100, 60), ddof=1) / 100 + np.var(_binary(50, 20), ddof=1) / 50,
          np.var(_binary(40, 10), ddof=1) / 40 + np.var(_binary(80, 30), ddof=1) / 80]
    se = np.sqrt((w ** 2) @ np.array(va)) / w.sum()
    assert est.ci_high - est.ci_low == pytest.approx(2 * 1.959964 * se, rel=1e-4)
    assert [g.validity for g in est.groups] == pytest.approx(d.tolist())
    assert est.n_used == 270


def test_constant_groups_do_not_give_a_zero_width_interval():
    ja, jb, ga, gb = _case([(30, 30, 30, 0), (30, 0, 30, 0)])
    est = stratified_difference(ja, jb, ga, gb)
    assert est.ci_low < est.adjusted < est.ci_high
    assert est.p_value < 0.001


def test_groups_with_one_side_missing_carry_no_weight():
    ja, jb, ga, gb = _case([(50, 25, 50, 25), (20, 20, 0, 0)])
    est = stratified_difference(ja, jb, ga, gb)
    assert est.adjusted == pytest.approx(0.0)
    assert est.groups[1].weight == 0 and np.isnan(est.groups[1].validity)
    assert est.n_used == 100


def test_simpson_composition_case_is_flagged_explained_by_composition():
    # A mostly in group 0 where the property is common; within each group no difference
    ja, jb, ga, gb = _case([(140, 112, 60, 48), (60, 6, 140, 14)])
    est = stratified_difference(ja, jb, ga, gb)
    assert est.raw == pytest.approx(0.28) and abs(est.adjusted) < 1e-9
    rows = [(g.validity, g.ci_low, g.ci_high, g.p_value) for g in est.groups]
    assert flags_for(est.raw, 1e-8, est.adjusted, est.p_value, est.heterogeneity_p, rows,
                     0.05) == [COMPOSITION]


def test_simpson_reversal_is_flagged():
    # B holds the property more inside each group, but A is mostly in the high group
    ja, jb, ga, gb = _case([(160, 112, 40, 36), (40, 4, 160, 48)])
    est = stratified_difference(ja, jb, ga, gb)
    assert est.raw > 0 and est.adjusted < 0 and est.ci_high < 0
    rows = [(g.validity, g.ci_low, g.ci_high, g.p_value) for g in est.groups]
    flags = flags_for(est.raw, 1e-6, est.adjusted, est.p_value, est.heterogeneity_p, rows,
                      0.05)
    assert REVERSES in flags and COMPOSITION not in flags


def test_effect_in_one_group_only_is_flagged_some_groups():
    ja, jb, ga, gb = _case([(150, 90, 150, 30), (150, 45, 150, 45)])
    est = stratified_difference(ja, jb, ga, gb)
    rows = [(g.validity, g.ci_low, g.ci_high, g.p_value) for g in est.groups]
    flags = flags_for(est.raw, 1e-6, est.adjusted, est.p_value, est.heterogeneity_p, rows,
                      0.05)
    assert flags == [SOME_GROUPS]


def test_consistent_and_masked_effects():
    ja, jb, ga, gb = _case([(100, 60, 100, 30), (100, 50, 100, 20)])
    est = stratified_difference(ja, jb, ga, gb)
    rows = [(g.validity, g.ci_low, g.ci_high, g.p_value) for g in est.groups]
    assert flags_for(est.raw, 1e-6, est.adjusted, est.p_value, est.heterogeneity_p, rows,
                     0.05) == [CONSISTENT]
    assert flags_for(0.01, 0.5, est.adjusted, est.p_value, est.heterogeneity_p, rows,
                     0.05) == [MASKED]


def test_null_case_has_no_flags_and_a_calibrated_test():
    rng = np.random.default_rng(0)
    ps = []
    for _ in range(200):
        ga, gb = rng.integers(0, 3, 120), rng.integers(0, 3, 120)
        ja = (rng.random(120) < 0.2 + 0.2 * ga).astype(float)
        jb = (rng.random(120) < 0.2 + 0.2 * gb).astype(float)
        ps.append(stratified_difference(ja, jb, ga, gb).p_value)
    ps = np.array(ps)
    assert 0.01 <= (ps < 0.05).mean() <= 0.10  # about 5 % under the null
    assert flags_for(0.01, 0.6, 0.0, 0.7, 0.5, [(0.0, -0.1, 0.1, 0.8)], 0.05) == []


def test_cochran_q_detects_heterogeneity():
    assert cochran_q(np.array([0.3, 0.0]), np.array([0.002, 0.002])) < 0.001
    assert cochran_q(np.array([0.1, 0.1]), np.array([0.002, 0.002])) == pytest.approx(1.0)
    assert cochran_q(np.array([0.1]), np.array([0.002])) == 1.0
