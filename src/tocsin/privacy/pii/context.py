"""Context words: the cheap signal that separates a Dutch BSN from any nine-digit number.

Weak checksums (BSN, Portuguese NIF, bare postcodes) accept a large share of random numbers, so
those detectors fire only when a cue word stands shortly before the candidate. Cues are matched
on word boundaries, case-insensitively, in a window of characters before the match.

Example::

    BSN_CUES = cue_pattern(["bsn", "burgerservicenummer"])
    has_cue(BSN_CUES, "mijn BSN is 111222333", 12)  # -> True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_WINDOW = 40

# Words that announce a reference number which is not personal data (orders, parcels, invoices):
# a phone-shaped or card-shaped number right after them is left alone.
REFERENCE_CUES_WORDS = (
    "order",
    "order number",
    "order no",
    "commande",
    "n° de commande",
    "pedido",
    "bestelling",
    "bestelnummer",
    "bestellnummer",
    "ordine",
    "encomenda",
    "tracking",
    "suivi",
    "colis",
    "parcel",
    "seguimiento",
    "envío",
    "zending",
    "sendungsnummer",
    "invoice",
    "facture",
    "factura",
    "factuur",
    "rechnung",
    "ref",
    "reference",
    "référence",
    "referencia",
    "referentie",
    "ticket",
    "case",
    "dossier",
    "ean",
    "gtin",
    "sku",
    "isbn",
    "serial",
)


def cue_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Compile cue words into one case-insensitive alternation on word boundaries."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def has_cue(
    pattern: re.Pattern[str], text: str, start: int, *, window: int = DEFAULT_WINDOW
) -> bool:
    """Whether a cue word ends in the ``window`` characters before ``start``."""
    return pattern.search(text, max(0, start - window), start) is not None


def last_cue_end(
    pattern: re.Pattern[str], text: str, start: int, *, window: int = DEFAULT_WINDOW
) -> int | None:
    """End offset of the last cue word before ``start`` within ``window`` characters."""
    end: int | None = None
    for match in pattern.finditer(text, max(0, start - window), start):
        end = match.end()
    return end


REFERENCE_CUES = cue_pattern(REFERENCE_CUES_WORDS)


def is_reference_number(text: str, start: int) -> bool:
    """Whether the number at ``start`` is introduced as an order, parcel or invoice reference.

    Only the few words right before the number count ("order 0612345678", "commande n°…"),
    so "my order is late, call me on 06 12 34 56 78" still yields the phone number.
    """
    return has_cue(REFERENCE_CUES, text, start, window=18)
