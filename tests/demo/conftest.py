"""One generated week shared by the demo tests (generating it takes about a second)."""

from __future__ import annotations

import pytest

from tocsin.demo.dataset import DemoDataset
from tocsin.demo.generator import generate


@pytest.fixture(scope="session")
def week() -> DemoDataset:
    return generate(seed=7)
