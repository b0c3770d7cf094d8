"""Prediction-powered inference: the estimator against its formulas and against simulation."""

import numpy as np
import pytest

from wordlens.stats import ppi_compare, ppi_lambda, ppi_mean, ppi_two_sample


def draw_side(rng, p, n_total, n_lab, student):
    """Teacher labels of ``n_total`` texts (rate p), the student's judgments, and a random
    labelled subset of ``n_lab`` (the rest unlabelled)."""
    y = (rng.uniform(size=n_total) < p).astype(float)
    f = student(rng, y)
    lab = rng.permutation(n_total)[:n_lab]
    rest = np.setdiff1d(np.arange(n_total), lab)
    return y[lab], f[lab], f[rest]


STUDENTS = {
    "random": lambda rng, y: rng.uniform(size=y.size),
    # says yes far too often, and only loosely follows the teacher
    "yes-biased": lambda rng, y: np.clip(0.7 + 0.2 * y + rng.normal(0, 0.1, y.size), 0, 1),
    "good": lambda rng, y: np.clip(0.9 * y + 0.05 + rng.normal(0, 0.05, y.size), 0, 1),
}


def coverage(student, lam, draws=1000, seed=0, p_a=0.35, p_b=0.2, n_total=400, n_lab=40):
    rng = np.random.default_rng(seed)
    hits, widths = 0, []
    for _ in range(draws):
        a = draw_side(rng, p_a, n_total, n_lab, student)
        b = draw_side(rng, p_b, n_total, n_lab, student)
        c = (ppi_two_sample(a, b) if lam is None else
             ppi_compare(ppi_mean(*a, lam=lam), ppi_mean(*b, lam=lam)))
        hits += c.ci_low <= p_a - p_b <= c.ci_high
        widths.append(c.ci_high - c.ci_low)
    return hits / draws, float(np.mean(widths))


def test_estimate_and_variance_follow_the_paper_formulas():
    rng = np.random.default_rng(1)
    y, f, fu = rng.uniform(size=30), rng.uniform(size=30), rng.uniform(size=200)
    m = ppi_mean(y, f, fu, lam=1.0, pseudo_labels=False)
    assert m.estimate == pytest.approx(fu.mean() + (y - f).mean())
    se = np.sqrt(np.var(fu, ddof=1) / 200 + np.var(y - f, ddof=1) / 30)
    assert m.se == pytest.approx(se)
    classical = ppi_mean(y, f, fu, lam=0.0, pseudo_labels=False)
    assert classical.estimate == pytest.approx(y.mean())
    assert classical.se == pytest.approx(np.std(y, ddof=1) / np.sqrt(30))


def test_tuned_weight_is_near_one_for_a_perfect_student_and_near_zero_for_noise():
    rng = np.random.default_rng(2)
    y = (rng.uniform(size=200) < 0.3).astype(float)
    assert ppi_lambda(y, y, rng.choice([0.0, 1.0], 2000, p=[0.7, 0.3])) > 0.85
    assert ppi_lambda(y, rng.uniform(size=200), rng.uniform(size=2000)) < 0.2


@pytest.mark.parametrize("name", ["random", "yes-biased"])
@pytest.mark.parametrize("lam", [None, 1.0])
def test_poor_students_keep_95_percent_intervals_covering_the_teacher_validity(name, lam):
    cov, _ = coverage(STUDENTS[name], lam)
    assert cov >= 0.93


def test_a_good_student_only_narrows_the_interval():
    cov_good, w_good = coverage(STUDENTS["good"], None, draws=300)
    _, w_teacher = coverage(STUDENTS["random"], 0.0, draws=300)
    assert cov_good >= 0.92 and w_good < 0.6 * w_teacher


def test_a_student_error_alone_never_makes_a_difference_significant():
    """Same teacher rate on both sides; the student says yes to every A text and no to every
    B text. Its own estimate would call this a validity of +1; PPI stays at the nominal
    false-positive rate."""
    rng = np.random.default_rng(3)
    positives = 0
    for _ in range(1000):
        ya = (rng.uniform(size=300) < 0.3).astype(float)
        yb = (rng.uniform(size=300) < 0.3).astype(float)
        la, lb = rng.permutation(300)[:30], rng.permutation(300)[:30]
        ra, rb = np.setdiff1d(np.arange(300), la), np.setdiff1d(np.arange(300), lb)
        fa, fb = np.ones(300), np.zeros(300)
        c = ppi_compare(ppi_mean(ya[la], fa[la], fa[ra]), ppi_mean(yb[lb], fb[lb], fb[rb]))
        positives += c.p_value < 0.05
    assert positives / 1000 <= 0.07


def test_pseudo_labels_widen_small_samples_only():
    rng = np.random.default_rng(5)
    for n, least, most in ((10, 1.5, 20.0), (2000, 1.0, 1.1)):
        y = (rng.uniform(size=n) < 0.3).astype(float)
        f = np.clip(y + rng.normal(0, 0.05, n), 0, 1)
        fu = rng.uniform(size=5000)
        plain = ppi_mean(y, f, fu, lam=1.0, pseudo_labels=False)
        padded = ppi_mean(y, f, fu, lam=1.0, pseudo_labels=True)
        assert padded.estimate == plain.estimate
        assert least * plain.se < padded.se < most * plain.se


def test_unanimous_small_sample_has_a_positive_width():
    m = ppi_mean(np.zeros(5), np.zeros(5), np.zeros(100))
    assert m.se > 0.05
    c = ppi_compare(m, ppi_mean(np.zeros(5), np.zeros(5), np.zeros(100)))
    assert c.p_value == 1.0 and c.ci_low < 0 < c.ci_high


def test_matches_ppi_python_when_installed():
    ppi_py = pytest.importorskip("ppi_py")
    rng = np.random.default_rng(4)
    y = (rng.uniform(size=80) < 0.4).astype(float)
    f = np.clip(0.6 * y + rng.normal(0.2, 0.2, 80), 0, 1)
    fu = np.clip(rng.normal(0.45, 0.3, 800), 0, 1)
    for lam in (1.0, None):
        ours = ppi_mean(y, f, fu, lam=lam, pseudo_labels=False)
        low, high = ppi_py.ppi_mean_ci(y, f, fu, alpha=0.05, lam=lam)
        assert ours.estimate == pytest.approx((low + high) / 2, abs=1e-3)
        assert 1.96 * ours.se == pytest.approx((high - low) / 2, rel=0.02)


def test_small_samples_keep_the_tail_thresholds_that_multiple_testing_uses():
    # Benjamini-Hochberg over 60 hypotheses rejects at p < 0.05 / 60 first, so p-values
    # must be valid far into the tail: 8 labels a side of a rare yes (15 %), null pair,
    # a yes-biased student. The paper's variance with a normal reference gives p < 0.001
    # in 0.175 % of these draws (1.75x nominal); pseudo-labels and the t reference do not.
    rng = np.random.default_rng(0)
    p = []
    for _ in range(4000):
        sides = [draw_side(rng, 0.15, 300, 8, STUDENTS["yes-biased"]) for _ in range(2)]
        p.append(ppi_two_sample(*sides).p_value)
    p = np.asarray(p)
    for threshold in (0.05, 0.005, 0.001):
        assert (p < threshold).mean() <= threshold


def test_pseudo_labels_follow_the_student():
    # a side with unanimous teacher labels gets pseudo-labels; paired with what the student
    # says where the teacher says yes / no, a student that follows the teacher adds little
    # width and a useless one the full Agresti-Caffo width
    y, f, fu = np.zeros(6), np.zeros(6), np.r_[np.ones(30), np.zeros(270)]
    exact = ppi_mean(y, f, fu, lam=1.0, student_at=(1.0, 0.0))
    useless = ppi_mean(y, f, fu, lam=1.0, student_at=(0.1, 0.1))
    assert exact.se < 0.5 * useless.se and exact.estimate == useless.estimate == 0.1


def _active_draws(rng, y, f, m, floor=0.25):
    """One active draw with replacement from the texts, as amortized verification makes it."""
    u = np.sqrt(np.clip(f * (1 - f), 1e-4, None))
    p = (1 - floor) * u / u.sum() + floor / y.size
    idx = rng.choice(y.size, size=m, p=p)
    return idx, p[idx]


def test_active_ppi_mean_is_unbiased_and_covers_whatever_the_student():
    from scipy import stats as sps

    from wordlens.stats import active_ppi_mean

    rng = np.random.default_rng(0)
    n = 300
    for student in ("biased", "random"):
        est, cover = [], 0
        for _ in range(400):
            y = (rng.uniform(size=n) < 0.3).astype(float)  # a fresh population each time
            f = (np.clip(0.5 * y + 0.4, 0, 1) if student == "biased"
                 else rng.uniform(size=n))
            idx, p = _active_draws(rng, y, f, 40)
            r = active_ppi_mean(np.zeros(0), f, y[idx], f[idx], p)
            est.append(r.estimate)
            half = sps.t.ppf(0.975, r.df) * r.se
            cover += abs(r.estimate - 0.3) <= half
        assert abs(np.mean(est) - 0.3) < 3 * np.std(est) / np.sqrt(len(est)) + 1e-3
        assert 0.92 <= cover / 400 <= 0.99


def test_active_ppi_mean_uses_earlier_labels_as_exact_values():
    from wordlens.stats import active_ppi_mean

    y = np.array([1.0, 0.0, 1.0, 1.0])
    r = active_ppi_mean(y, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    assert r.estimate == pytest.approx(0.75) and r.n_labelled == 4 and r.n_unlabelled == 0


def test_the_cross_fitted_mean_equals_ppi_py_crossppi_on_a_uniform_sample():
    """With uniform draws (p = 1/N) and the fold models' predictions, the estimate is that of
    cross-prediction-powered inference (Zrnic & Candes 2024) as ppi_py computes it."""
    ppi_py = pytest.importorskip("ppi_py")
    from wordlens.stats import active_ppi_mean

    rng = np.random.default_rng(1)
    n_lab, n_unl, k = 60, 400, 3
    y = (rng.uniform(size=n_lab) < 0.4).astype(float)
    folds = np.arange(n_lab) % k
    yhat = np.clip(0.6 * y + rng.uniform(0, 0.4, n_lab), 0, 1)  # fold model on its fold
    yhat_unl = np.clip(rng.uniform(0, 1, (n_unl, k)), 0, 1)  # each fold model on the rest
    fbar = yhat_unl @ (np.bincount(folds) / n_lab)
    # the labelled texts are draws from the unlabelled population's 'rest' of size n_unl
    r = active_ppi_mean(np.zeros(0), fbar, y, yhat, np.full(n_lab, 1.0 / n_unl))
    lo, hi = ppi_py.crossppi_mean_ci(y, yhat, yhat_unl, alpha=0.05)
    assert r.estimate == pytest.approx((float(np.ravel(lo)[0]) + float(np.ravel(hi)[0])) / 2,
                                       abs=1e-9)


def test_few_draws_shrunk_towards_the_calibrated_design_variance_keep_their_coverage():
    """3 or 4 draws with the design variance shrunk towards the calibrated student's
    (``rest_p``, 5 pseudo-draws): a confident student wrong on one text in twenty, and a
    student that only knows the base rate."""
    from scipy import stats as sps

    from wordlens.stats import active_ppi_mean

    rng = np.random.default_rng(4)
    n = 300
    for student, m in (("confident", 4), ("base rate", 3)):
        cover = 0
        for _ in range(400):
            y = (rng.uniform(size=n) < 0.3).astype(float)
            if student == "confident":
                f = np.where(rng.uniform(size=n) < 0.05, 1 - y, y) * 0.9 + 0.05
            else:
                f = np.full(n, 0.3)
            p_all = np.full(n, 1.0 / n)
            idx = rng.choice(n, size=m, p=p_all)
            r = active_ppi_mean(np.zeros(0), f, y[idx], f[idx], p_all[idx], rest_p=p_all)
            cover += abs(r.estimate - 0.3) <= sps.t.ppf(0.975, r.df) * r.se
        assert cover / 400 >= 0.93, (student, cover)


def test_many_draws_outweigh_the_design_prior():
    from wordlens.stats import active_ppi_mean

    rng = np.random.default_rng(5)
    y = (rng.uniform(size=400) < 0.4).astype(float)
    f = np.full(400, 0.5)  # calibrated on average, says nothing: v_model is the largest
    p_all = np.full(400, 1 / 400)
    idx = rng.choice(400, size=200, p=p_all)
    plain = active_ppi_mean(np.zeros(0), f, y[idx], f[idx], p_all[idx])
    shrunk = active_ppi_mean(np.zeros(0), f, y[idx], f[idx], p_all[idx], rest_p=p_all)
    assert shrunk.se == pytest.approx(plain.se, rel=0.02)
    assert shrunk.estimate == plain.estimate
