"""The normaliser registry: turning a platform's raw payload into canonical posts.

A connector registers one function per platform; :func:`tocsin.ingestion.raw.process_pending_raw`
looks it up by the archived payload's ``platform``.  A normaliser is a pure function: it raises
(``ValueError``, ``KeyError``, a Pydantic ``ValidationError``…) when the payload is not what it
expects, and the payload is then marked ``rejected`` with that error.

The ``canonical`` normaliser ships with Tocsin: its payload is already one canonical post, or
``{"posts": [...]}``.  Webhook senders that speak the canonical format store their payloads
under the ``canonical`` platform.

Example::

    @register_normaliser("bluesky")
    def normalise_bluesky(payload: dict[str, Any]) -> list[CanonicalPost]:
        return [CanonicalPost(platform="bluesky", external_id=payload["uri"], ...)]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tocsin.ingestion.schemas import CanonicalPost

Normaliser = Callable[[dict[str, Any]], list[CanonicalPost]]

#: The pseudo-platform of payloads that are already canonical posts.
CANONICAL = "canonical"

_NORMALISERS: dict[str, Normaliser] = {}


class UnknownPlatformError(KeyError):
    """No normaliser is registered for this platform."""


def register_normaliser(platform: str) -> Callable[[Normaliser], Normaliser]:
    """Register the decorated function as the normaliser of ``platform``.

    Registering a second, different function for the same platform is a mistake and raises.
    """

    def decorate(function: Normaliser) -> Normaliser:
        current = _NORMALISERS.get(platform)
        if current is not None and current is not function:
            raise ValueError(f"a normaliser is already registered for {platform!r}")
        _NORMALISERS[platform] = function
        return function

    return decorate


def get_normaliser(platform: str) -> Normaliser:
    """The normaliser registered for ``platform``."""
    try:
        return _NORMALISERS[platform]
    except KeyError:
        raise UnknownPlatformError(f"no normaliser registered for {platform!r}") from None


def registered_platforms() -> list[str]:
    """The platforms that have a normaliser, sorted."""
    return sorted(_NORMALISERS)


@register_normaliser(CANONICAL)
def normalise_canonical(payload: dict[str, Any]) -> list[CanonicalPost]:
    """A canonical post, or ``{"posts": [post, ...]}``, validated as :class:`CanonicalPost`."""
    items = payload.get("posts") if set(payload) == {"posts"} else [payload]
    if not isinstance(items, list):
        raise ValueError("'posts' must be a list of canonical posts")
    return [CanonicalPost.model_validate(item) for item in items]
