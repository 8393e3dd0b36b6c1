"""Shared regular-expression pieces for the full-mode recognisers (names, addresses, dates).

Python's ``re`` has no ``\\p{Lu}``, so the upper-case class is built once from Unicode data for
the Latin, Greek and Cyrillic blocks: "Łukasz", "Øster", "Έλενα" all start a capitalised word.

Example::

    re.fullmatch(CAP_WORD, "Łukasiewicz")  # matches
"""

from __future__ import annotations

import re

_UPPER_CHARS = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper())
UPPER = f"[{re.escape(_UPPER_CHARS)}]"
LETTER = r"[^\W\d_]"
# A capitalised word: "Baker", "O'Neil", "Jean-Luc", "TROMSØ", "Łukasiewicz".
CAP_WORD = rf"{UPPER}{LETTER}*(?:['’\-]{LETTER}+)*"
# An initial: "R." or "J"
INITIAL = rf"{UPPER}\.?"

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    "noviembre|diciembre|januari|februari|maart|mei|juni|juli|augustus|oktober|"
    "januar|februar|märz|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|"
    "settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|"
    "novembro|dezembro"
)
# Numeric and written dates: 12/05/1985, 1985-05-12, 12 May 1985, May 12, 1985, 12 de mayo de 1985.
DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?:{MONTHS})\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)

# Lower-case words inside names and street names ("Rue de la Paix", "Ludwig van Beethoven").
CONNECTORS = (
    "de|del|della|di|da|do|dos|das|du|des|la|le|les|el|los|las|van|von|der|den|ten|ter|"
    "het|'t|y|e|al|bin|ibn|am|an|auf|zu|sur|sous|aux|au|l'|d'"
)
