"""National identity and tax numbers, validated by python-stdnum.

Each kind pairs a shape, the issuer's checksum and, where the checksum is weak, cue words that
must appear shortly before the number. A Dutch BSN passes the "11-proof" for roughly one
nine-digit number in eleven, so a bare ``123456782`` in a tweet is not flagged but
"mijn BSN is 123456782" is. Strong checksums (French NIR mod 97, Italian codice fiscale) need
no cue.

Example::

    find_national_ids("DNI 12345678Z, NIR 2 85 05 78 006 084 41")
    # -> [PiiSpan(type="NATIONAL_ID", detail="ES_DNI", ...), PiiSpan(..., detail="FR_NIR")]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum.be import nn as be_nn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.exceptions import ValidationError
from stdnum.fr import nir as fr_nir
from stdnum.gb import nhs as gb_nhs
from stdnum.it import codicefiscale as it_cf
from stdnum.nl import bsn as nl_bsn
from stdnum.pt import cc as pt_cc
from stdnum.pt import nif as pt_nif
from stdnum.us import ssn as us_ssn

from tocsin.privacy.pii.context import cue_pattern, has_cue
from tocsin.privacy.pii.spans import NATIONAL_ID, PiiSpan


@dataclass(frozen=True)
class _IdKind:
    detail: str
    pattern: re.Pattern[str]
    is_valid: Callable[[str], bool]
    cues: re.Pattern[str] | None = None
    score: float = 0.95


def _ok(validator: Callable[[str], object]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    return check


def _licence_ok(value: str) -> bool:
    """A licence number has digits, and no more letters than digits (not a plain word)."""
    digits = sum(ch.isdigit() for ch in value)
    return digits >= 5 and digits >= len(value) - digits


_SEP = r"[ .\-]?"
_KINDS: tuple[_IdKind, ...] = (
    _IdKind(
        "FR_NIR",
        re.compile(
            rf"(?<![\w])[12]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}(?:\d{{2}}|2[AB]){_SEP}"
            rf"\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?![\w])"
        ),
        _ok(fr_nir.validate),
        score=0.98,
    ),
    _IdKind("ES_DNI", re.compile(r"(?<![\w])\d{8}[ -]?[A-Z](?![\w])"), _ok(es_dni.validate)),
    _IdKind(
        "ES_NIE", re.compile(r"(?<![\w])[XYZ][ -]?\d{7}[ -]?[A-Z](?![\w])"), _ok(es_nie.validate)
    ),
    _IdKind(
        "IT_CODICE_FISCALE",
        re.compile(r"(?<![\w])[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z](?![\w])", re.IGNORECASE),
        _ok(it_cf.validate),
        score=0.98,
    ),
    _IdKind(
        "PT_CC", re.compile(r"(?<![\w])\d{8}[ ]?\d[ ]?[A-Z]{2}\d(?![\w])"), _ok(pt_cc.validate)
    ),
    _IdKind(
        "BE_NN",
        re.compile(r"(?<![\w])\d{2}\.\d{2}\.\d{2}[-.]\d{3}\.\d{2}(?![\w])"),
        _ok(be_nn.validate),
    ),
    _IdKind(
        "BE_NN",
        re.compile(r"(?<![\w.])\d{11}(?![\w])"),
        _ok(be_nn.validate),
        cue_pattern(["rijksregisternummer", "registre national", "numéro national", "niss", "rrn"]),
    ),
    _IdKind(
        "NL_BSN",
        re.compile(r"(?<![\w.])\d{4}[ .]?\d{2}[ .]?\d{3}(?![\w])|(?<![\w.])\d{9}(?![\w])"),
        _ok(nl_bsn.validate),
        cue_pattern(["bsn", "burgerservicenummer", "sofinummer", "sofi-nummer"]),
    ),
    _IdKind(
        "DE_IDNR",
        re.compile(r"(?<![\w])\d{2} ?\d{3} ?\d{3} ?\d{3}(?![\w])"),
        _ok(de_idnr.validate),
        cue_pattern(
            ["steuer-id", "steuerid", "idnr", "steuer-idnr", "steueridentifikationsnummer"]
        ),
    ),
    _IdKind(
        "PT_NIF",
        re.compile(r"(?<![\w])\d{3} ?\d{3} ?\d{3}(?![\w])"),
        _ok(pt_nif.validate),
        cue_pattern(["nif", "contribuinte", "número fiscal", "numero fiscal"]),
    ),
    _IdKind(
        "GB_NHS",
        re.compile(r"(?<![\w])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w])"),
        _ok(gb_nhs.validate),
        cue_pattern(["nhs", "nhs number", "nhs no"]),
    ),
    _IdKind("US_SSN", re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), _ok(us_ssn.validate)),
    _IdKind(
        "US_SSN",
        re.compile(r"(?<![\w-])\d{3}[ ]?\d{2}[ ]?\d{4}(?![\w-])"),
        _ok(us_ssn.validate),
        cue_pattern(["ssn", "social security", "social security number", "social security no"]),
    ),
    _IdKind(
        "DRIVER_LICENSE",
        re.compile(r"(?<![\w-])[A-Z0-9](?:[A-Z0-9-]{4,18})[A-Z0-9](?![\w-])"),
        _licence_ok,
        cue_pattern(
            [
                "driver's license",
                "drivers license",
                "driver license",
                "driving licence",
                "driver's licence",
                "license number",
                "licence number",
                "permis de conduire",
                "carnet de conducir",
                "carné de conducir",
                "rijbewijs",
                "rijbewijsnummer",
                "führerschein",
            ]
        ),
        score=0.92,
    ),
)
_DIGITS_OR_CF = re.compile(r"\d")


def find_national_ids(text: str) -> list[PiiSpan]:
    """National id, tax and health numbers, each with its stdnum checksum and cue rule."""
    if not _DIGITS_OR_CF.search(text):
        return []
    found: list[PiiSpan] = []
    for kind in _KINDS:
        for m in kind.pattern.finditer(text):
            if kind.cues is not None and not has_cue(kind.cues, text, m.start(), window=35):
                continue
            if not kind.is_valid(m.group()):
                continue
            found.append(
                PiiSpan(
                    type=NATIONAL_ID,
                    start=m.start(),
                    end=m.end(),
                    score=kind.score,
                    source="stdnum",
                    detail=kind.detail,
                )
            )
    return sorted(found, key=lambda span: span.start)
