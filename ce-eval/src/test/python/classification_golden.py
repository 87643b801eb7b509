#!/usr/bin/env python3
"""Writes the golden files for the classification evaluators of ce-eval.

Evaluators covered: `binary-classification`, `multilabel-classification` and
`multiclass-classification`. Expected values come from scikit-learn, not from the Java code.

Which scikit-learn
------------------
The evaluators follow CURRENT scikit-learn (1.4 and later). This script was run with the Debian
scikit-learn 1.2.1, which differs from current scikit-learn in three places that matter here:

1. `zero_division=np.nan` does not exist in 1.2 (added in 1.3): undefined precision / recall /
   F-beta become NaN per label and are left out of the macro / weighted / samples averages
   (`sklearn.utils.extmath._nanaverage`); an average of nothing but NaN is NaN.
2. With `average='weighted'` and every support zero, 1.2 returns special constants, while current
   scikit-learn's `_nanaverage` catches the ZeroDivisionError of `np.average` and returns the
   plain mean of the (non-NaN) values.
3. `average_precision_score` with no positive label: 1.2.1 returns -0.0, current scikit-learn
   clips the sum at 0 and returns 0.0.

(1.2 also computes F-beta from precision and recall, current scikit-learn from counts,
(1 + b^2) tp / (b^2 (tp + fn) + tp + fp); the two agree to rounding, which is checked below.)

So the expected values are taken from scikit-learn 1.2.1 wherever it agrees with current
scikit-learn, and otherwise from `REFERENCE` functions below: a hand-written implementation of
current scikit-learn semantics (from the source of sklearn/metrics/_classification.py,
`_prf_divide`, `precision_recall_fscore_support`, and sklearn/utils/extmath.py `_nanaverage`).
The reference is cross-checked against scikit-learn 1.2.1 on every case where the two must
agree (the script stops if they differ by more than 1e-12). Each case records in `reference_keys`
the keys whose expected value came from the reference.

Binary threshold search
-----------------------
Without a `threshold` parameter, each `*_threshold` is the best threshold for its metric among
the candidates "every distinct score value" and "np.nextafter(max score, inf)" (predicts all
negative), a sample being positive iff score >= threshold. On equal metric values the highest
threshold wins; equality is exact: the brute force below evaluates the metric with
scikit-learn at every candidate and also in exact rational arithmetic (fractions.Fraction, with
beta^2 taken as the float beta*beta), checks the two agree, and ranks candidates by the exact
value. A NaN metric (zero_division=nan) never wins. A threshold of -0.0 is written as 0.0.

Output
------
Deterministic (numpy seed 20240611). Writes, under ce-eval/src/test/resources/golden/classification/:
binary_cases.json, multilabel_cases.json, multiclass_cases.json. Each is a JSON object with a
"cases" list; a case has "name", "scores", "labels", "params" (string parameters exactly as a
user passes them) and "expected" (metric key -> number, array, or null for NaN).

Run with a Python that has numpy and scikit-learn (made with scikit-learn 1.2.1, numpy 1.24):

    python3 ce-eval/src/test/python/classification_golden.py
"""

import json
import math
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    fbeta_score,
    hamming_loss,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)

warnings.filterwarnings("ignore")

SEED = 20240611
OUT = Path(__file__).resolve().parents[1] / "resources" / "golden" / "classification"
BETAS = [0.5, 1.0, 2.0, 3.7]
ZERO_DIVISIONS = ["0", "1", "nan"]
TOL = 1e-12


def zd_value(zd):
    return {"0": 0.0, "1": 1.0, "nan": math.nan}[zd]


def close(a, b, tol=TOL):
    a = float(a)
    b = float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol


def check(a, b, what):
    if np.ndim(a) == 0:
        ok = close(a, b)
    else:
        ok = len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if not ok:
        raise AssertionError(f"reference and scikit-learn {sklearn.__version__} differ on {what}: {a} vs {b}")


def js(v):
    """A JSON-ready value: NaN -> None, numpy -> Python."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [js(x) for x in v]
    v = float(v)
    return None if math.isnan(v) else v


# ---------------------------------------------------------------------------------------------
# REFERENCE: hand-written current scikit-learn (>= 1.4) semantics, used where 1.2.1 cannot be.
# ---------------------------------------------------------------------------------------------


def ref_divide(num, den, zd):
    """REFERENCE: sklearn _prf_divide for one value."""
    return zd_value(zd) if den == 0 else num / den


def ref_fbeta(tp, pred, true, beta2, zd):
    """REFERENCE: current sklearn F-beta from counts: (1+b2) tp / (b2 true_sum + pred_sum)."""
    den = beta2 * true + pred
    return zd_value(zd) if den == 0 else (1 + beta2) * tp / den


def ref_nanaverage(values, weights=None):
    """REFERENCE: sklearn.utils.extmath._nanaverage."""
    a = np.asarray(values, dtype=float)
    if len(a) == 0:
        return math.nan
    mask = np.isnan(a)
    if mask.all():
        return math.nan
    if weights is None:
        return float(np.nanmean(a))
    w = np.asarray(weights, dtype=float)[~mask]
    a = a[~mask]
    if w.sum() == 0:
        return float(np.average(a))
    return float(np.average(a, weights=w))


def ref_table(tp, pred, true, beta, zd):
    """REFERENCE: precision_recall_fscore_support for average in (None, micro, macro, weighted)."""
    beta2 = beta * beta
    tp = [int(x) for x in tp]
    pred = [int(x) for x in pred]
    true = [int(x) for x in true]
    per = {
        "precision": [ref_divide(t, p, zd) for t, p in zip(tp, pred)],
        "recall": [ref_divide(t, s, zd) for t, s in zip(tp, true)],
        "fbeta": [ref_fbeta(t, p, s, beta2, zd) for t, p, s in zip(tp, pred, true)],
        "f1": [ref_fbeta(t, p, s, 1.0, zd) for t, p, s in zip(tp, pred, true)],
    }
    T, P, S = sum(tp), sum(pred), sum(true)
    micro = {
        "precision": ref_divide(T, P, zd),
        "recall": ref_divide(T, S, zd),
        "fbeta": ref_fbeta(T, P, S, beta2, zd),
        "f1": ref_fbeta(T, P, S, 1.0, zd),
    }
    out = {}
    for m in ("fbeta", "f1", "precision", "recall"):
        out[m + "_micro"] = micro[m]
        out[m + "_macro"] = ref_nanaverage(per[m])
        out[m + "_weighted"] = ref_nanaverage(per[m], weights=true)
    for m in ("fbeta", "f1", "precision", "recall"):
        out[m + "_per_label"] = per[m]
    out["support_per_label"] = [float(s) for s in true]
    return out


# ---------------------------------------------------------------------------------------------
# binary-classification
# ---------------------------------------------------------------------------------------------


def binary_counts(y, yp):
    tp = int(np.sum((y == 1) & (yp == 1)))
    fp = int(np.sum((y == 0) & (yp == 1)))
    fn = int(np.sum((y == 1) & (yp == 0)))
    return tp, fp, fn


def binary_at(y, s, t, beta, zd):
    """Every threshold-dependent metric at threshold t, from scikit-learn where it can, with the
    exact rational F-beta / F1 / accuracy used to rank candidates."""
    yp = (s >= t).astype(int)
    tp, fp, fn = binary_counts(y, yp)
    beta2 = beta * beta
    ref = {
        "fbeta": ref_fbeta(tp, tp + fp, tp + fn, beta2, zd),
        "f1": ref_fbeta(tp, tp + fp, tp + fn, 1.0, zd),
        "precision": ref_divide(tp, tp + fp, zd),
        "recall": ref_divide(tp, tp + fn, zd),
    }
    acc = accuracy_score(y, yp)
    if zd == "nan":
        vals = dict(ref)
    else:
        z = int(zd)
        vals = {
            "fbeta": fbeta_score(y, yp, beta=beta, zero_division=z),
            "f1": fbeta_score(y, yp, beta=1.0, zero_division=z),
            "precision": precision_score(y, yp, zero_division=z),
            "recall": recall_score(y, yp, zero_division=z),
        }
        for k in ref:
            check(ref[k], vals[k], f"binary {k} at threshold {t}")
    vals["accuracy"] = acc

    def exact_f(b2):
        if tp + fp + fn == 0:
            return zd_value(zd)
        b2 = Fraction(b2)
        return (1 + b2) * tp / (b2 * (tp + fn) + tp + fp)

    exact = {
        "fbeta": exact_f(beta2),
        "f1": exact_f(1.0),
        "accuracy": Fraction(int(accuracy_score(y, yp, normalize=False)), len(y)),
    }
    for k in exact:
        check(float(exact[k]), vals[k], f"exact {k} at threshold {t}")
    return vals, exact


def is_nan(x):
    return isinstance(x, float) and math.isnan(x)


def binary_case(name, scores, labels, beta=None, zd=None, threshold=None):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    params = {}
    if beta is not None:
        params["beta"] = repr(float(beta))
    if zd is not None:
        params["zero_division"] = zd
    if threshold is not None:
        params["threshold"] = repr(float(threshold))
    beta = 1.0 if beta is None else float(beta)
    zd = "0" if zd is None else zd
    reference_keys = []

    if threshold is not None:
        vals, _ = binary_at(y, s, float(threshold), beta, zd)
        chosen = {"fbeta": float(threshold), "f1": float(threshold), "accuracy": float(threshold)}
        at = {k: vals for k in chosen}
    else:
        # brute force over every candidate, highest threshold first
        candidates = [float(np.nextafter(s.max(), np.inf))]
        seen = set()
        for v in sorted(s.tolist(), reverse=True):
            if v not in seen:  # -0.0 == 0.0: one candidate
                seen.add(v)
                candidates.append(v + 0.0)
        best = {}
        for t in candidates:
            vals, exact = binary_at(y, s, t, beta, zd)
            for k in ("fbeta", "f1", "accuracy"):
                e = exact[k]
                if is_nan(e):
                    continue
                if k not in best or e > best[k][0]:
                    best[k] = (e, t, vals)
        chosen = {k: best[k][1] for k in best}
        at = {k: best[k][2] for k in best}

    expected = {
        "fbeta": at["fbeta"]["fbeta"],
        "fbeta_threshold": chosen["fbeta"],
        "precision": at["fbeta"]["precision"],
        "recall": at["fbeta"]["recall"],
        "f1": at["f1"]["f1"],
        "f1_threshold": chosen["f1"],
        "accuracy": at["accuracy"]["accuracy"],
        "accuracy_threshold": chosen["accuracy"],
    }
    if zd == "nan":
        reference_keys += ["fbeta", "precision", "recall", "f1", "fbeta_threshold", "f1_threshold"]
    ap = average_precision_score(y, s)
    if y.sum() == 0:
        # current sklearn: recall set to 1 everywhere, sum clipped at 0 -> 0.0 (1.2.1: -0.0)
        ap = max(0.0, ap)
        reference_keys.append("average_precision")
    expected["average_precision"] = ap
    return {
        "name": name,
        "scores": s.tolist(),
        "labels": [float(v) for v in y],
        "params": params,
        "expected": {k: js(v) for k, v in expected.items()},
        "reference_keys": reference_keys,
    }


def binary_cases(rng):
    cases = []
    # random cases
    for c in range(300):
        n = int(rng.choice([1, 2, 3, 5, 8, 13, 30, 60, 120]))
        p = rng.choice([0.0, 0.1, 0.5, 0.9, 1.0]) if c % 5 == 0 else rng.uniform(0.05, 0.95)
        y = (rng.random(n) < p).astype(int)
        kind = c % 4
        if kind == 0:
            s = rng.random(n)
        elif kind == 1:
            s = np.round(rng.random(n), 1)  # many ties
        elif kind == 2:
            s = np.round(rng.normal(0, 2, n), 2)  # negative scores, some ties
        else:
            s = np.round(rng.random(n) * 3) / 3  # few distinct values
        beta = BETAS[c % len(BETAS)]
        zd = ZERO_DIVISIONS[(c // 4) % 3]
        threshold = None
        if c % 7 == 0:
            threshold = float(rng.choice(s)) if c % 2 == 0 else float(np.round(rng.normal(0.5, 0.5), 3))
        if c % 11 == 0:
            beta_param, zd_param = None, None  # defaults: beta 1, zero_division 0
        else:
            beta_param, zd_param = beta, zd
        cases.append(binary_case(f"random-{c}", s, y, beta_param, zd_param, threshold))
    # edge cases, each with every zero_division and two betas
    edges = {
        "all-scores-equal": ([0.5] * 6, [1, 0, 1, 0, 0, 1]),
        "all-tied-two-values": ([0.2, 0.2, 0.8, 0.8, 0.8, 0.2], [1, 0, 1, 0, 1, 0]),
        "all-negative-labels": ([0.1, 0.9, 0.4, 0.4], [0, 0, 0, 0]),
        "all-positive-labels": ([0.1, 0.9, 0.4, 0.4], [1, 1, 1, 1]),
        "single-positive": ([0.3], [1]),
        "single-negative": ([0.3], [0]),
        "perfect-separation": ([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]),
        "inverted": ([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]),
        "negative-zero-and-zero": ([-0.0, 0.0, 0.5, -0.5, 0.0], [1, 0, 1, 0, 1]),
        "negative-scores": ([-3.0, -1.5, -1.5, -0.25, -2.0], [0, 1, 0, 1, 1]),
        "large-ties": ([1.0] * 20 + [0.0] * 20, [1] * 12 + [0] * 8 + [1] * 5 + [0] * 15),
    }
    for name, (s, y) in edges.items():
        for zd in ZERO_DIVISIONS:
            for beta in (1.0, 2.0):
                cases.append(binary_case(f"{name}-zd{zd}-beta{beta}", s, y, beta, zd))
            cases.append(binary_case(f"{name}-zd{zd}-fixed", s, y, 0.5, zd, threshold=0.5))
    for beta in (3.7, 2.9, 1.1):
        s, y = float_tie_case(beta)
        cases.append(binary_case(f"float-tie-exact-winner-beta{beta}", s, y, beta, "0"))
    return cases


def float_tie_case(beta, positives=20):
    """Two thresholds whose F-beta values round to the same double although, exactly, the lower
    threshold is better: the exact comparison must choose the lower one, while a comparison of
    the rounded values would keep the higher. Groups: 0.9 holds the first candidate's samples,
    0.5 the extra samples of the second, 0.1 the remaining positives and enough negatives to make
    the lowest threshold worse than both."""
    b2 = beta * beta
    exact_b2 = Fraction(b2)
    by_value = {}
    for tp in range(1, positives + 1):
        for pred in range(tp, tp + 150):
            f = (1 + b2) * tp / (b2 * positives + pred)
            by_value.setdefault(f, []).append((tp, pred))
    for group in by_value.values():
        for tp1, pred1 in group:
            for tp2, pred2 in group:
                fp1, fp2 = pred1 - tp1, pred2 - tp2
                if tp2 > tp1 and fp2 >= fp1:
                    e1 = Fraction(tp1) / (exact_b2 * positives + pred1)
                    e2 = Fraction(tp2) / (exact_b2 * positives + pred2)
                    if e2 > e1:
                        # enough negatives at 0.1 that predicting everything positive is worse
                        rest = positives - tp2
                        extra = 0
                        while Fraction(positives) / (exact_b2 * positives + pred2 + rest + extra) >= e2:
                            extra += 1
                        scores = [0.9] * pred1 + [0.5] * (pred2 - pred1) + [0.1] * (rest + extra)
                        labels = ([1] * tp1 + [0] * fp1 + [1] * (tp2 - tp1) + [0] * (fp2 - fp1)
                                  + [1] * rest + [0] * extra)
                        return scores, labels
    raise AssertionError(f"no float tie found for beta={beta}")


# ---------------------------------------------------------------------------------------------
# multilabel-classification
# ---------------------------------------------------------------------------------------------


def multilabel_case(name, scores, labels, beta=None, zd=None, threshold=None):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    params = {}
    if beta is not None:
        params["beta"] = repr(float(beta))
    if zd is not None:
        params["zero_division"] = zd
    if threshold is not None:
        params["threshold"] = repr(float(threshold))
    beta = 1.0 if beta is None else float(beta)
    zd = "0" if zd is None else zd
    t = 0.5 if threshold is None else float(threshold)
    yp = (s >= t).astype(int)
    n, L = y.shape
    beta2 = beta * beta

    # REFERENCE values for every key
    tp = ((y == 1) & (yp == 1)).sum(axis=0)
    pred = yp.sum(axis=0)
    true = y.sum(axis=0)
    ref = ref_table(tp, pred, true, beta, zd)
    rtp = ((y == 1) & (yp == 1)).sum(axis=1)
    rpred = yp.sum(axis=1)
    rtrue = y.sum(axis=1)
    samples = {
        "precision": ref_nanaverage([ref_divide(a, b, zd) for a, b in zip(rtp, rpred)]),
        "recall": ref_nanaverage([ref_divide(a, b, zd) for a, b in zip(rtp, rtrue)]),
        "fbeta": ref_nanaverage([ref_fbeta(a, b, c, beta2, zd) for a, b, c in zip(rtp, rpred, rtrue)]),
        "f1": ref_nanaverage([ref_fbeta(a, b, c, 1.0, zd) for a, b, c in zip(rtp, rpred, rtrue)]),
    }
    ref_all = {}
    for m in ("fbeta", "f1", "precision", "recall"):
        for avg in ("micro", "macro", "weighted"):
            ref_all[f"{m}_{avg}"] = ref[f"{m}_{avg}"]
        ref_all[f"{m}_samples"] = samples[m]
    for m in ("fbeta", "f1", "precision", "recall", "support"):
        ref_all[f"{m}_per_label"] = ref[f"{m}_per_label"]
    ref_all["subset_accuracy"] = float(np.mean(np.all(y == yp, axis=1)))
    ref_all["hamming_loss"] = float(np.sum(y != yp)) / (n * L)

    # scikit-learn 1.2.1 where it applies: zero_division 0/1, a real indicator matrix (L >= 2)
    expected = dict(ref_all)
    reference_keys = sorted(ref_all)
    if zd != "nan" and L >= 2:
        z = int(zd)
        sk = {}
        for m, b in (("fbeta", beta), ("f1", 1.0)):
            for avg in ("micro", "macro", "weighted", "samples"):
                p_, r_, f_, _ = precision_recall_fscore_support(y, yp, beta=b, average=avg, zero_division=z)
                sk[f"{m}_{avg}"] = f_
                if m == "fbeta":
                    sk[f"precision_{avg}"] = p_
                    sk[f"recall_{avg}"] = r_
            p_, r_, f_, s_ = precision_recall_fscore_support(y, yp, beta=b, average=None, zero_division=z)
            sk[f"{m}_per_label"] = f_
            sk["precision_per_label"] = p_
            sk["recall_per_label"] = r_
            sk["support_per_label"] = s_.astype(float)
        sk["subset_accuracy"] = accuracy_score(y, yp)
        sk["hamming_loss"] = hamming_loss(y, yp)
        reference_keys = []
        for k, v in sk.items():
            if k.endswith("_weighted") and true.sum() == 0:
                # 1.2.1 special-cases all-zero supports; current sklearn takes the plain mean
                reference_keys.append(k)
                continue
            check(ref_all[k], v, f"multilabel {k}")
            expected[k] = v
    return {
        "name": name,
        "scores": s.tolist(),
        "labels": y.tolist(),
        "params": params,
        "expected": {k: js(v) for k, v in expected.items()},
        "reference_keys": sorted(reference_keys),
    }


def multilabel_cases(rng):
    cases = []
    for c in range(240):
        n = int(rng.choice([1, 2, 4, 7, 15, 40, 90]))
        L = int(rng.choice([1, 2, 3, 5, 8]))
        probs = rng.uniform(0, 1, L)
        probs[rng.random(L) < 0.15] = 0.0  # some labels never true
        y = (rng.random((n, L)) < probs).astype(int)
        kind = c % 3
        if kind == 0:
            s = np.round(rng.random((n, L)), 4)
        elif kind == 1:
            s = np.round(rng.random((n, L)), 1)  # exact 0.5 happens: ties at the threshold
        else:
            # scores correlated with labels
            s = np.round(np.clip(y * 0.35 + rng.random((n, L)) * 0.65, 0, 1), 2)
        never = rng.random(L) < 0.15
        s[:, never] = s[:, never] * 0.49  # some labels never predicted at 0.5
        beta = BETAS[c % len(BETAS)]
        zd = ZERO_DIVISIONS[(c // 4) % 3]
        threshold = None
        if c % 5 == 0:
            threshold = float(rng.choice([0.3, 0.5, 0.7, 0.25]))
        if c % 9 == 0:
            cases.append(multilabel_case(f"random-{c}", s, y, None, None, threshold))
        else:
            cases.append(multilabel_case(f"random-{c}", s, y, beta, zd, threshold))
    edges = {
        "all-zero-labels": (np.array([[0.9, 0.1, 0.6], [0.2, 0.7, 0.1]]), np.zeros((2, 3), dtype=int)),
        "all-zero-labels-none-predicted": (np.full((3, 3), 0.1), np.zeros((3, 3), dtype=int)),
        "all-ones": (np.array([[0.9, 0.1], [0.2, 0.7], [0.5, 0.5]]), np.ones((3, 2), dtype=int)),
        "nothing-predicted": (np.full((3, 3), 0.2), np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0]])),
        "everything-predicted": (np.full((3, 3), 0.9), np.array([[1, 0, 1], [0, 0, 0], [1, 1, 0]])),
        "score-equals-threshold": (np.full((2, 3), 0.5), np.array([[1, 0, 1], [0, 1, 0]])),
        "single-sample": (np.array([[0.8, 0.3, 0.6, 0.1]]), np.array([[1, 1, 0, 0]])),
        "single-label": (np.array([[0.8], [0.3], [0.6], [0.1]]), np.array([[1], [1], [0], [0]])),
        "label-never-true": (np.array([[0.8, 0.9], [0.3, 0.7], [0.6, 0.2]]), np.array([[1, 0], [0, 0], [1, 0]])),
        "label-never-predicted": (np.array([[0.8, 0.1], [0.3, 0.2], [0.6, 0.4]]), np.array([[1, 1], [0, 0], [1, 1]])),
        "sample-without-labels": (np.array([[0.8, 0.1], [0.1, 0.2], [0.6, 0.7]]), np.array([[1, 0], [0, 0], [1, 1]])),
    }
    for name, (s, y) in edges.items():
        for zd in ZERO_DIVISIONS:
            for beta in (1.0, 2.0):
                cases.append(multilabel_case(f"{name}-zd{zd}-beta{beta}", s, y, beta, zd))
    return cases


# ---------------------------------------------------------------------------------------------
# multiclass-classification
# ---------------------------------------------------------------------------------------------


def multiclass_case(name, scores, labels, beta=None, zd=None):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    params = {}
    if beta is not None:
        params["beta"] = repr(float(beta))
    if zd is not None:
        params["zero_division"] = zd
    beta = 1.0 if beta is None else float(beta)
    zd = "0" if zd is None else zd
    n, C = s.shape
    yp = np.argmax(s, axis=1)  # first index on ties
    classes = list(range(C))

    tp = np.array([np.sum((y == c) & (yp == c)) for c in classes])
    pred = np.array([np.sum(yp == c) for c in classes])
    true = np.array([np.sum(y == c) for c in classes])
    ref = ref_table(tp, pred, true, beta, zd)
    ref_all = {"accuracy": float(np.mean(y == yp))}
    for m in ("fbeta", "f1", "precision", "recall"):
        for avg in ("micro", "macro", "weighted"):
            ref_all[f"{m}_{avg}"] = ref[f"{m}_{avg}"]
    for m in ("fbeta", "f1", "precision", "recall", "support"):
        ref_all[f"{m}_per_label"] = ref[f"{m}_per_label"]

    expected = dict(ref_all)
    reference_keys = sorted(ref_all)
    if zd != "nan":
        z = int(zd)
        sk = {"accuracy": accuracy_score(y, yp)}
        for m, b in (("fbeta", beta), ("f1", 1.0)):
            for avg in ("micro", "macro", "weighted"):
                p_, r_, f_, _ = precision_recall_fscore_support(
                    y, yp, beta=b, labels=classes, average=avg, zero_division=z)
                sk[f"{m}_{avg}"] = f_
                if m == "fbeta":
                    sk[f"precision_{avg}"] = p_
                    sk[f"recall_{avg}"] = r_
            p_, r_, f_, s_ = precision_recall_fscore_support(
                y, yp, beta=b, labels=classes, average=None, zero_division=z)
            sk[f"{m}_per_label"] = f_
            sk["precision_per_label"] = p_
            sk["recall_per_label"] = r_
            sk["support_per_label"] = s_.astype(float)
        for k, v in sk.items():
            check(ref_all[k], v, f"multiclass {k}")
            expected[k] = v
        reference_keys = []
    return {
        "name": name,
        "scores": s.tolist(),
        "labels": y.tolist(),
        "params": params,
        "expected": {k: js(v) for k, v in expected.items()},
        "reference_keys": reference_keys,
    }


def multiclass_cases(rng):
    cases = []
    for c in range(240):
        n = int(rng.choice([1, 2, 4, 9, 20, 50, 120]))
        C = int(rng.choice([1, 2, 3, 4, 7]))
        weights = rng.dirichlet(np.ones(C))
        weights[rng.random(C) < 0.2] = 0.0  # some classes never true
        if weights.sum() == 0:
            weights[0] = 1.0
        y = rng.choice(C, size=n, p=weights / weights.sum())
        kind = c % 3
        if kind == 0:
            s = np.round(rng.random((n, C)), 4)
        elif kind == 1:
            s = np.round(rng.random((n, C)), 1)  # argmax ties: first index wins
        else:
            s = rng.normal(0, 1, (n, C))
            s[np.arange(n), y] += rng.uniform(0, 2)  # informative
            s = np.round(s, 2)
        if C > 1 and c % 4 == 0:
            s[:, C - 1] -= 100.0  # a class never predicted
        beta = BETAS[c % len(BETAS)]
        zd = ZERO_DIVISIONS[(c // 4) % 3]
        if c % 9 == 0:
            cases.append(multiclass_case(f"random-{c}", s, y, None, None))
        else:
            cases.append(multiclass_case(f"random-{c}", s, y, beta, zd))
    edges = {
        "single-class": (np.array([[0.3], [0.9], [0.1]]), np.array([0, 0, 0])),
        "single-sample": (np.array([[0.1, 0.7, 0.2]]), np.array([2])),
        "all-scores-equal": (np.full((4, 3), 0.5), np.array([0, 1, 2, 1])),
        "all-one-class-true": (np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]]), np.array([1, 1, 1])),
        "all-predicted-wrong": (np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]), np.array([0, 0, 0])),
        "class-never-true-or-predicted": (np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]]), np.array([0, 1])),
        "perfect": (np.eye(4), np.array([0, 1, 2, 3])),
    }
    for name, (s, y) in edges.items():
        for zd in ZERO_DIVISIONS:
            for beta in (1.0, 2.0):
                cases.append(multiclass_case(f"{name}-zd{zd}-beta{beta}", s, y, beta, zd))
    return cases


def write(name, cases):
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {
        "generator": "ce-eval/src/test/python/classification_golden.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "cases": cases,
    }
    path = OUT / name
    with path.open("w", encoding="utf-8") as f:
        json.dump(doc, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


def main():
    rng = np.random.default_rng(SEED)
    write("binary_cases.json", binary_cases(rng))
    write("multilabel_cases.json", multilabel_cases(rng))
    write("multiclass_cases.json", multiclass_cases(rng))


if __name__ == "__main__":
    main()
