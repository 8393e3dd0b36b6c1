"""Throughput of language identification and of sentiment *beyond* the shared USE embedding.

Synthetic posts are made from hand-written phrases (no data set is read).  Both wall-clock and
CPU-time rates are printed: on a shared machine the CPU-time rate is the steadier figure.

Run::

    .venv/bin/python bench/sentiment_speed.py --n 20000
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from tocsin.enrichment.language import LanguageIdentifier
from tocsin.enrichment.sentiment import SentimentModel

PHRASES = [
    "my order never arrived and nobody answers",
    "merci pour votre aide, super rapide",
    "el servicio es horrible, estoy muy enfadado",
    "ik ben heel blij met mijn nieuwe telefoon",
    "vielen Dank, alles hat perfekt funktioniert",
    "il pacco è arrivato rotto, che delusione",
    "adorei o atendimento, muito obrigado",
    "lol",
    "@brand why is the app down again?? #fail https://t.co/abc",
    "😡😡😡",
]


def posts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(PHRASES, k=rng.randint(1, 4))) for _ in range(n)]


def rate(label: str, n: int, work: object) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    work()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:38s} {n / wall:10,.0f} posts/s wall  {n / cpu:10,.0f} posts/s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    texts = posts(args.n)
    identifier = LanguageIdentifier()
    identifier.detect("warm up")
    rate("language identification", args.n, lambda: identifier.detect_batch(texts))

    model = SentimentModel.load()
    langs = [g.lang for g in identifier.detect_batch(texts)]
    vectors = np.random.default_rng(0).standard_normal((args.n, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    model.predict(texts[:10], langs[:10], embeddings=vectors[:10])
    rate(
        "sentiment, embeddings given",
        args.n,
        lambda: [
            model.predict(texts[i : i + 256], langs[i : i + 256], embeddings=vectors[i : i + 256])
            for i in range(0, args.n, 256)
        ],
    )


if __name__ == "__main__":
    main()
