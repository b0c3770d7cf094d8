import numpy as np
import pytest
from scipy import stats as sps

from wordlens.stats import benjamini_hochberg, compare


def test_binary_judgments_use_score_test_and_interval_contains_difference():
    ja = np.array([1] * 60 + [0] * 40, dtype=float)
    jb = np.array([1] * 30 + [0] * 70, dtype=float)
    s = compare(ja, jb)
    assert s.test.startswith("score test")
    assert s.validity == pytest.approx(0.3)
    assert s.ci_low < 0.3 < s.ci_high and s.ci_low > 0.15 and s.ci_high < 0.45
    # the pooled two-proportion z statistic: z = 0.3 / sqrt(.45*.55*(2/100)) = 4.264
    assert s.p_value == pytest.approx(2 * sps.norm.sf(0.3 / np.sqrt(.45 * .55 * .02)), rel=0.05)
    assert s.auc == pytest.approx(0.5 + 0.3 / 2)


def test_all_or_none_counts_give_finite_interval():
    s = compare(np.ones(20), np.zeros(20))
    assert s.validity == 1.0 and np.isfinite(s.ci_low) and s.ci_low > 0.7 and s.p_value < 1e-6


def test_soft_judgments_use_welch():
    rng = np.random.default_rng(0)
    ja, jb = rng.uniform(0.2, 1.0, 80), rng.uniform(0.0, 0.8, 90)
    s = compare(ja, jb)
    ref = sps.ttest_ind(ja, jb, equal_var=False)
    assert s.test.startswith("Welch") and s.p_value == pytest.approx(ref.pvalue)
    assert s.validity == pytest.approx(ja.mean() - jb.mean())


def test_identical_constant_judgments_are_not_significant():
    s = compare(np.zeros(10), np.zeros(12))
    assert s.p_value == 1.0 and s.validity == 0.0 and s.auc == 0.5


def test_benjamini_hochberg_known_values():
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(benjamini_hochberg(p), [0.02, 0.04, 0.04, 0.02])


@pytest.mark.parametrize("soft", [False, True])
def test_p_values_are_calibrated_under_the_null(soft):
    """Under no difference, p-values are uniform and BH finds (almost) nothing."""
    rng = np.random.default_rng(1)
    ps = []
    for _ in range(400):
        rate = rng.uniform(0.05, 0.6)
        x = rng.binomial(1, rate, 150 + 150).astype(float)
        if soft:
            x = np.clip(x * 0.7 + rng.uniform(0, 0.3, x.size), 0, 1)
        ps.append(compare(x[:150], x[150:]).p_value)
    ps = np.array(ps)
    assert 0.02 <= np.mean(ps < 0.05) <= 0.09
    assert sps.kstest(ps, "uniform").pvalue > 0.001
    assert np.sum(benjamini_hochberg(ps) < 0.05) <= 2


def test_real_difference_has_power():
    rng = np.random.default_rng(2)
    s = compare(rng.binomial(1, 0.5, 200).astype(float), rng.binomial(1, 0.3, 200).astype(float))
    assert s.p_value < 1e-3


def _moments(j):
    from wordlens.stats import SampleMoments

    j = np.asarray(j, float)
    return SampleMoments(n=j.size, mean=j.mean(), m2=((j - j.mean()) ** 2).sum(),
                         ones=int((j == 1).sum()), zeros=int((j == 0).sum()), low=j.min(),
                         high=j.max(), auc_sample=j)


@pytest.mark.parametrize("ja,jb", [
    (np.array([1] * 60 + [0] * 40), np.array([1] * 30 + [0] * 70)),  # score test
    (np.ones(20), np.zeros(20)),  # all-or-none
    (np.zeros(10), np.zeros(12)),  # constant
    (np.full(10, 0.25), np.full(12, 0.75)),  # constant soft
    (np.random.default_rng(0).uniform(0.2, 1, 80), np.random.default_rng(1).uniform(0, .8, 90)),
])
def test_compare_from_sufficient_statistics_equals_compare(ja, jb):
    from wordlens.stats import compare_moments

    want, got = compare(ja, jb), compare_moments(_moments(ja), _moments(jb))
    assert got.test == want.test
    for f in ("share_a", "share_b", "validity", "ci_low", "ci_high", "p_value", "auc"):
        assert getattr(got, f) == pytest.approx(getattr(want, f), rel=1e-9, abs=1e-12), f
