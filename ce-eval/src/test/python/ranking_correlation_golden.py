#!/usr/bin/env python3
"""Writes the golden files for the `reranking` and `correlation` evaluators of ce-eval.

The reference values come from scikit-learn and scipy, not from the Java code:

* ndcg@k  = sklearn.metrics.ndcg_score(y_true=[labels], y_score=[scores], k=k,
            ignore_ties=False) (linear gains, tie-averaged DCG); for a one-document query,
            which the public function rejects, its private per-sample function
            sklearn.metrics._ranking._ndcg_sample_scores, which the public one calls.
* map     = mean over queries of sklearn.metrics.average_precision_score(labels > 0, scores).
* mrr@k   = expected reciprocal rank of the first relevant document, over uniformly random
            orderings of documents with tied scores, counting 0 when that document falls below
            rank k. sklearn has no MRR, so it is computed here in exact rational arithmetic from
            a formula other than the Java one (a difference of survival probabilities), and the
            formula is itself checked against brute-force enumeration of tie orderings.
* pearson = scipy.stats.pearsonr(scores, labels).statistic
* spearman = scipy.stats.spearmanr(scores, labels).statistic

Queries without a relevant document (every label 0) are left out of every average and counted
in `queries_without_relevant`; `queries` counts the others. A metric with no query to average is
NaN, written as JSON null (so is a correlation of constant input).

Run with a Python that has numpy, scipy and scikit-learn (made with scikit-learn 1.2.1,
scipy 1.10.1, numpy 1.24):

    python3 ce-eval/src/test/python/ranking_correlation_golden.py

It is deterministic (fixed seed) and rewrites
ce-eval/src/test/resources/golden/ranking/reranking_cases.json and
ce-eval/src/test/resources/golden/correlation/correlation_cases.json.
"""

import itertools
import json
import math
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import average_precision_score, ndcg_score
from sklearn.metrics._ranking import _ndcg_sample_scores

SEED = 20240611
KS = [1, 3, 5, 10, 100]
GOLDEN = Path(__file__).resolve().parents[1] / "resources" / "golden"


def num(x):
    """A float for JSON: NaN becomes None (null)."""
    x = float(x)
    return None if math.isnan(x) else x


# ---------------------------------------------------------------- ranking references


def ndcg_reference(scores, labels, k):
    y_true = np.asarray([labels], dtype=float)
    y_score = np.asarray([scores], dtype=float)
    if len(labels) == 1:
        return float(_ndcg_sample_scores(y_true, y_score, k=k, ignore_ties=False)[0])
    return float(ndcg_score(y_true, y_score, k=k, ignore_ties=False))


def ap_reference(scores, labels):
    y_true = (np.asarray(labels) > 0).astype(int)
    return float(average_precision_score(y_true, np.asarray(scores, dtype=float)))


def first_relevant_distribution(m, r):
    """P(the first of r relevant documents sits at offset j of a tied group of m), exactly.

    P(offset >= j) = P(the first j places hold no relevant document) = C(m-j, r) / C(m, r),
    so P(offset = j) = (C(m-j, r) - C(m-j-1, r)) / C(m, r).
    """
    total = math.comb(m, r)
    return [Fraction(math.comb(m - j, r) - math.comb(m - j - 1, r), total)
            for j in range(m - r + 1)]


def first_relevant_brute_force(m, r):
    """The same distribution by enumerating every placement of the relevant documents."""
    counts = [0] * (m - r + 1)
    placements = list(itertools.combinations(range(m), r))
    for chosen in placements:
        counts[min(chosen)] += 1
    return [Fraction(c, len(placements)) for c in counts]


def mrr_reference(scores, labels, k):
    scores = np.asarray(scores, dtype=float)
    relevant = np.asarray(labels) > 0
    start = 0  # documents ranked strictly above the current tie group
    for value in sorted(set(scores.tolist()), reverse=True):
        in_group = scores == value
        m = int(in_group.sum())
        r = int((in_group & relevant).sum())
        if r > 0:
            expected = Fraction(0)
            for j, p in enumerate(first_relevant_distribution(m, r)):
                rank = start + j + 1
                if rank <= k:
                    expected += p * Fraction(1, rank)
            return float(expected)
        start += m
    raise AssertionError("query has no relevant document")


def query_metrics(scores, labels):
    """Per-query metrics as a one-query evaluation reports them."""
    if not any(l > 0 for l in labels):
        out = {}
        for k in KS:
            out[f"mrr@{k}"] = None
            out[f"ndcg@{k}"] = None
        out["map"] = None
        out["queries"] = 0
        out["queries_without_relevant"] = 1
        return out
    out = {}
    for k in KS:
        out[f"mrr@{k}"] = mrr_reference(scores, labels, k)
        out[f"ndcg@{k}"] = ndcg_reference(scores, labels, k)
    out["map"] = ap_reference(scores, labels)
    out["queries"] = 1
    out["queries_without_relevant"] = 0
    return out


def ranking_case(name, queries):
    """queries: list of (scores, labels). Returns the JSON case with per-query and mean values."""
    per_query = [query_metrics(s, l) for s, l in queries]
    evaluated = [q for q in per_query if q["queries"] == 1]
    expected = {}
    for k in KS:
        for metric in (f"mrr@{k}", f"ndcg@{k}"):
            expected[metric] = num(np.mean([q[metric] for q in evaluated])) if evaluated else None
    expected["map"] = num(np.mean([q["map"] for q in evaluated])) if evaluated else None
    expected["queries"] = len(evaluated)
    expected["queries_without_relevant"] = len(per_query) - len(evaluated)
    return {
        "name": name,
        "queries": [
            {"id": f"q{i}", "scores": [float(x) for x in s], "labels": [float(x) for x in l],
             "expected": m}
            for i, ((s, l), m) in enumerate(zip(queries, per_query))
        ],
        "expected": expected,
    }


def random_scores(rng, n, labels):
    mode = rng.choice(["continuous", "round1", "integer", "constant", "label_noise_rounded"])
    if mode == "continuous":
        return np.round(rng.normal(size=n), 6)  # effectively distinct, shorter JSON
    if mode == "round1":
        return np.round(rng.normal(size=n), 1)
    if mode == "integer":
        return rng.integers(0, 4, size=n).astype(float)
    if mode == "constant":
        return np.full(n, float(np.round(rng.normal(), 2)))
    return np.round(np.asarray(labels, dtype=float) + rng.normal(scale=1.0, size=n), 0)


def random_labels(rng, n):
    mode = rng.choice(["graded", "graded", "sparse", "none", "all"])
    if mode == "graded":
        return rng.integers(0, 4, size=n).astype(float)
    if mode == "sparse":
        labels = np.zeros(n)
        labels[rng.integers(0, n)] = float(rng.integers(1, 4))
        return labels
    if mode == "none":
        return np.zeros(n)
    return rng.integers(1, 4, size=n).astype(float)


def random_query(rng):
    n = 1 if rng.random() < 0.1 else int(rng.integers(1, 101))
    labels = random_labels(rng, n)
    return random_scores(rng, n, labels), labels


def ranking_cases(rng):
    cases = [
        # hand-checkable fixtures
        ranking_case("one-relevant-doc-alone", [([0.5], [1.0])]),
        ranking_case("one-irrelevant-doc-alone", [([0.5], [0.0])]),
        ranking_case("no-relevant-anywhere", [([0.3, 0.2], [0.0, 0.0]), ([1.0], [0.0])]),
        ranking_case("all-tied", [([1.0, 1.0, 1.0, 1.0], [0.0, 2.0, 0.0, 1.0])]),
        ranking_case("all-relevant", [([0.1, 0.9, 0.4], [3.0, 1.0, 2.0])]),
        ranking_case("perfect", [([3.0, 2.0, 1.0, 0.0], [3.0, 2.0, 1.0, 0.0])]),
        ranking_case("reversed", [([0.0, 1.0, 2.0, 3.0], [3.0, 2.0, 1.0, 0.0])]),
        ranking_case("tie-straddles-k", [([5.0, 4.0, 4.0, 4.0, 1.0], [0.0, 0.0, 1.0, 0.0, 2.0])]),
        ranking_case("negative-and-zero-scores",
                     [([-0.0, 0.0, -1.5, 2.0], [1.0, 0.0, 2.0, 0.0])]),
        ranking_case("fractional-grades", [([0.9, 0.8, 0.7], [0.5, 0.0, 2.5])]),
    ]
    for i in range(60):
        n_queries = 1 if i % 10 == 0 else int(rng.integers(1, 51))
        cases.append(ranking_case(f"random-{i:03d}", [random_query(rng) for _ in range(n_queries)]))
    return cases


# ---------------------------------------------------------------- correlation references


def correlation_case(name, scores, labels):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pearson = scipy.stats.pearsonr(scores, labels)[0]
        spearman = scipy.stats.spearmanr(scores, labels)[0]
    return {
        "name": name,
        "scores": [float(x) for x in scores],
        "labels": [float(x) for x in labels],
        "pearson": num(pearson),
        "spearman": num(spearman),
    }


def correlation_cases(rng):
    cases = [
        correlation_case("two-increasing", [0.1, 0.7], [1.0, 3.0]),
        correlation_case("two-decreasing", [0.1, 0.7], [3.0, 1.0]),
        correlation_case("three-hand", [1.0, 2.0, 3.0], [1.0, 3.0, 2.0]),
        correlation_case("constant-scores", [0.1, 0.1, 0.1, 0.1], [1.0, 2.0, 3.0, 4.0]),
        correlation_case("constant-labels", [0.3, 0.1, 0.2], [2.0, 2.0, 2.0]),
        correlation_case("both-constant", [5.0, 5.0], [1.0, 1.0]),
        correlation_case("signed-zeros-constant", [0.0, -0.0, 0.0], [1.0, 2.0, 3.0]),
        correlation_case("signed-zeros-tied", [0.0, -0.0, 1.0, -1.0], [1.0, 2.0, 3.0, 0.0]),
        correlation_case("all-tied-but-one", [1.0, 1.0, 1.0, 2.0], [4.0, 3.0, 2.0, 1.0]),
        correlation_case("huge-magnitude", rng.normal(size=50) * 1e200,
                         rng.normal(size=50) * 1e200),
        correlation_case("tiny-magnitude", rng.normal(size=50) * 1e-200,
                         rng.normal(size=50) * 1e-200),
    ]
    sizes = [2, 3, 4, 5, 10, 20, 50, 100, 200, 500, 1000]
    for i in range(60):
        n = sizes[i % len(sizes)]
        x = rng.normal(size=n)
        rho = rng.uniform(-1.0, 1.0)
        y = rho * x + math.sqrt(1.0 - rho * rho) * rng.normal(size=n)
        variant = i % 6
        if variant == 1:  # many ties on both sides
            x, y = np.round(x, 1), np.round(y * 2.0, 0)
        elif variant == 2:  # graded labels as in STS benchmarks
            y = np.clip(np.round(y + 2.5), 0, 5)
        elif variant == 3:  # large offset: a naive one-pass formula loses every digit
            x, y = 1e6 + x, 1e6 + 1e-3 * y
        elif variant == 4:  # strong negative correlation
            y = -x + 0.05 * rng.normal(size=n)
        elif variant == 5:  # monotone but non-linear: spearman 1, pearson below 1
            y = np.exp(3.0 * x)
        cases.append(correlation_case(f"random-{i:03d}-n{n}", x, y))
    return cases


# ---------------------------------------------------------------- main


def self_check():
    for m in range(1, 9):
        for r in range(1, m + 1):
            assert first_relevant_distribution(m, r) == first_relevant_brute_force(m, r), (m, r)
    # sklearn's documented example, with ties averaged: (10/10 + 5/10) / 2 = 0.75
    assert abs(ndcg_reference([1, 0, 0, 0, 1], [10, 0, 0, 1, 5], 1) - 0.75) < 1e-15
    # one relevant in a tie group of 3 starting at rank 1: (1 + 1/2 + 1/3) / 3
    assert abs(mrr_reference([1.0, 1.0, 1.0], [0, 1, 0], 10) - 11.0 / 18.0) < 1e-15


def write(path, payload):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")


def main():
    self_check()
    rng = np.random.default_rng(SEED)
    versions = {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__}
    write(GOLDEN / "ranking" / "reranking_cases.json", {
        "generator": "ce-eval/src/test/python/ranking_correlation_golden.py",
        "versions": versions,
        "seed": SEED,
        "ks": KS,
        "cases": ranking_cases(rng),
    })
    write(GOLDEN / "correlation" / "correlation_cases.json", {
        "generator": "ce-eval/src/test/python/ranking_correlation_golden.py",
        "versions": versions,
        "seed": SEED,
        "cases": correlation_cases(rng),
    })


if __name__ == "__main__":
    main()
