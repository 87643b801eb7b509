#!/usr/bin/env python3
"""The scikit-learn side of ce's binary-classification benchmark.

Usage: binary_classification_sklearn.py DATA_FILE N

DATA_FILE holds N little-endian float64 scores followed by N int8 labels (0/1), as written by
dev.ce4j.benchmarks.eval.BinaryClassificationBenchmark. Times precision_recall_curve plus
average_precision_score on them, best of 3, and prints `key=value` lines on stdout.
"""

import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    scores = np.fromfile(path, dtype="<f8", count=n)
    labels = np.fromfile(path, dtype="i1", count=n, offset=8 * n)
    assert scores.shape == (n,) and labels.shape == (n,)
    best = float("inf")
    ap = None
    for _ in range(3):
        start = time.perf_counter()
        precision_recall_curve(labels, scores)
        ap = average_precision_score(labels, scores)
        best = min(best, time.perf_counter() - start)
    print(f"sklearn_version={sklearn.__version__}")
    print(f"numpy_version={np.__version__}")
    print(f"seconds={best!r}")
    print(f"average_precision={ap!r}")


if __name__ == "__main__":
    main()
