"""Scores shared by training and ``tocsin eval`` (numpy only, so evaluating needs no sklearn).

Example::

    macro_f1([0, 1, 2, 2], [0, 1, 2, 1])  # 0.7778
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def macro_f1(gold: Sequence[int], predicted: Sequence[int], *, classes: int = 3) -> float:
    """Unweighted mean of the per-class F1 scores (a class absent from both counts as 0)."""
    y = np.asarray(gold)
    p = np.asarray(predicted)
    scores = []
    for label in range(classes):
        tp = float(np.sum((y == label) & (p == label)))
        fp = float(np.sum((y != label) & (p == label)))
        fn = float(np.sum((y == label) & (p != label)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))
