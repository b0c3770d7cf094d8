"""Paired statistics against statsmodels / scipy on known inputs."""

import numpy as np
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar

from wordlens.pairstats import MCNEMAR, PAIRED_T, compare_paired, tango_interval, tango_score


def test_binary_pairs_use_mcnemar_exact_and_tango_interval():
    # 2x2 table: 30 both yes, 14 A-only, 4 B-only, 52 both no
    ja = np.r_[np.ones(30), np.ones(14), np.zeros(4), np.zeros(52)]
    jb = np.r_[np.ones(30), np.zeros(14), np.ones(4), np.zeros(52)]
    t = compare_paired(ja, jb)
    want = mcnemar([[30, 14], [4, 52]], exact=True).pvalue
    assert t.test == MCNEMAR and t.p_value == pytest.approx(want)
    assert t.validity == pytest.approx(0.10) and t.n_a == t.n_b == 100
    # Tango's score statistic is exactly the normal quantile at each end, 0 at the estimate
    assert tango_score(t.ci_low, 14, 4, 100) == pytest.approx(1.959964, abs=1e-4)
    assert tango_score(t.ci_high, 14, 4, 100) == pytest.approx(-1.959964, abs=1e-4)
    assert tango_score(0.10, 14, 4, 100) == 0
    assert 0 < t.ci_low < 0.10 < t.ci_high < 0.25
    assert t.auc == pytest.approx((14 + 0.5 * 82) / 100)


def test_no_discordant_pairs_is_p_one_and_interval_covers_zero():
    j = np.r_[np.ones(10), np.zeros(10)]
    t = compare_paired(j, j.copy())
    assert t.p_value == 1.0 and t.validity == 0.0 and t.ci_low < 0 < t.ci_high


def test_soft_pairs_match_scipy_ttest_rel():
    rng = np.random.default_rng(0)
    ja = rng.uniform(size=40)
    jb = np.clip(ja - 0.1 + rng.normal(0, 0.1, 40), 0, 1)
    t = compare_paired(ja, jb)
    ref = sps.ttest_rel(ja, jb)
    ci = ref.confidence_interval(0.95)
    assert t.test == PAIRED_T and t.p_value == pytest.approx(ref.pvalue)
    assert (t.ci_low, t.ci_high) == pytest.approx((ci.low, ci.high))
    assert t.validity == pytest.approx(np.mean(ja - jb))


def test_pairing_beats_two_independent_samples_when_pairs_share_content():
    from wordlens.stats import compare

    rng = np.random.default_rng(1)
    base = rng.uniform(0.1, 0.9, 60)  # each pair's own level
    ja, jb = base + 0.05 + rng.normal(0, 0.02, 60), base + rng.normal(0, 0.02, 60)
    paired, unpaired = compare_paired(ja, jb), compare(ja, jb)
    assert paired.ci_high - paired.ci_low < (unpaired.ci_high - unpaired.ci_low) / 5
    assert paired.p_value < 1e-6 < unpaired.p_value


def test_unequal_lengths_and_too_few_pairs_are_errors():
    with pytest.raises(ValueError, match="same length"):
        compare_paired(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="2 pairs"):
        compare_paired(np.zeros(1), np.zeros(1))


def test_tango_interval_at_the_edges():
    low, high = tango_interval(20, 0, 20)
    assert high == 1.0 and 0.5 < low < 1
    low, high = tango_interval(0, 0, 20)
    assert low == pytest.approx(-high) and 0 < high < 0.3


def test_paired_ppi_does_not_trust_a_student_that_agreed_on_a_few_pairs():
    """A student that matches the teacher on all 10 labelled pairs (one discordant) says
    little about its errors on the other 290: the interval keeps the width of a few labels,
    not the student's own variance (which alone gave se 0.026 and missed the truth in 20%
    of simulated runs, scripts/sim_paired_groups.py --only amortized_power)."""
    from wordlens.pairstats import ppi_paired

    rng = np.random.default_rng(0)
    ya, yb = np.array([1.0] + [0.0] * 9), np.zeros(10)
    ra, rb = (rng.uniform(size=290) < 0.05).astype(float), np.zeros(290)
    e = ppi_paired(ya, yb, ya, yb, ra, rb)
    assert e.lam == pytest.approx(1.0) and e.se > 0.1
    assert e.ci_low < 0 and e.ci_high > 0.2 and e.p_value > 0.5
