"""The demo's fictional brands: Lumio (ours) and its competitors Veltra and Nordwave.

They are plain data; :func:`tocsin.demo.loader.load_demo` turns them into
:class:`tocsin.brands.models.Brand` rows (idempotently, by slug).

Example::

    LUMIO.handle("x")        # "LumioCare"
    LUMIO.brand_values()     # {"slug": "lumio", "name": "Lumio", "handles": [...], ...}
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BrandSpec:
    """A brand as the demo describes it (``competitor_of`` is the slug of the brand it fights)."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    handles: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    languages: tuple[str, ...]
    order_prefix: str
    time_zone: str = "Europe/Paris"
    competitor_of: str | None = None

    def handle(self, platform: str) -> str | None:
        """The brand's official handle on ``platform``, if it has one."""
        return next((h for p, h in self.handles if p == platform), None)

    def brand_values(self) -> dict[str, object]:
        """Column values for a ``Brand`` row (without ``competitor_of_id``)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "aliases": list(self.aliases),
            "handles": [{"platform": p, "handle": h} for p, h in self.handles],
            "keywords": list(self.keywords),
            "languages": list(self.languages),
            "time_zone": self.time_zone,
        }


LUMIO = BrandSpec(
    slug="lumio",
    name="Lumio",
    aliases=("Lumio Telecom", "LumioFibre", "Lumio Mobile"),
    handles=(
        ("x", "LumioCare"),
        ("bluesky", "lumio.bsky.social"),
        ("mastodon", "lumio@mastodon.social"),
        ("facebook", "LumioOfficial"),
        ("instagram", "lumio.official"),
        ("reddit", "Lumio_Official"),
    ),
    keywords=(
        "#LumioDown",
        "#LumioOutage",
        "#PanneLumio",
        "#LumioEnPanne",
        "#CaídaLumio",
        "#LumioCaído",
        "#LumioStoring",
    ),
    languages=("en", "fr", "es", "nl"),
    order_prefix="LM",
)

VELTRA = BrandSpec(
    slug="veltra",
    name="Veltra",
    aliases=("Veltra Telecom",),
    handles=(
        ("x", "VeltraHelp"),
        ("bluesky", "veltra.bsky.social"),
        ("mastodon", "veltra@mastodon.social"),
        ("facebook", "Veltra"),
        ("instagram", "veltra"),
        ("reddit", "Veltra_Team"),
    ),
    keywords=(),
    languages=("fr", "es", "en"),
    order_prefix="VT",
    competitor_of="lumio",
)

NORDWAVE = BrandSpec(
    slug="nordwave",
    name="Nordwave",
    aliases=("Nordwave Mobiel",),
    handles=(
        ("x", "Nordwave"),
        ("bluesky", "nordwave.bsky.social"),
        ("mastodon", "nordwave@mastodon.nl"),
        ("facebook", "NordwaveNL"),
        ("instagram", "nordwave.nl"),
        ("reddit", "Nordwave_Official"),
    ),
    keywords=(),
    languages=("nl", "en"),
    order_prefix="NW",
    competitor_of="lumio",
)

BRANDS: tuple[BrandSpec, ...] = (LUMIO, VELTRA, NORDWAVE)
