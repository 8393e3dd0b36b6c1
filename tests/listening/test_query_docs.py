"""The examples in the query package's docstrings run and say the truth."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from tocsin.listening.query import defaults, lexer, parser, text


@pytest.mark.parametrize("module", [defaults, lexer, parser, text])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
