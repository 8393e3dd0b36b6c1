"""Street addresses in English, French, Spanish, Dutch and neighbouring languages.

spaCy's small models see "Baker" and "Tromsø" but not the address around them, so addresses are
found by structure instead. A *core* is one strong signal: a house number next to a street-type
word ("14 Baker Street", "12 rue de la Paix", "Calle Mayor 5", "Kalverstraat 12"), a number-words-
number line ("220 Lindholmvej 9"), a unit ("Apt. 4", "Suite 12", "PO Box 12"), a military
address ("PSC 1234, Box 5678") or a street corner. Cores that touch are merged, then the span
grows to the right over the lines that usually follow: city, region code, country, postcode.

Example::

    find_addresses("Send it to 14 Baker Street, Apt. 4\\nTROMSØ 9008, thanks")
    # -> [PiiSpan(type="ADDRESS", text "14 Baker Street, Apt. 4\\nTROMSØ 9008", ...)]
"""

from __future__ import annotations

import re

from tocsin.privacy.pii.lexicon import CAP_WORD, CONNECTORS, LETTER, UPPER
from tocsin.privacy.pii.spans import ADDRESS, PiiSpan

# Street-type words that follow the name (English) ...
_SUFFIX_TYPES = (
    r"street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    r"square|sq|terrace|crescent|close|highway|hwy|parkway|pkwy|mews|circle|cir|trail|alley|"
    r"row|walk|gardens|grove|green|greens|plaza|str|strasse|straße|gasse|allee|platz|gate|"
    r"gata|gatan|vej|tér|utca|út|u"
)
# ... or precede it (Romance, Slavic, and the French/Spanish "12 rue ..." order). Words that are
# also common English words ("via", "place", "route") count only when capitalised.
_PREFIX_TYPES = (
    r"(?i:rue|avenue|av|boulevard|bd|bld|allée|allee|impasse|chemin|quai|calle|c/|avenida|avda|"
    r"camino|carrer|travesía|viale|piazza|piazzetta|corso|vicolo|rua|rúa|travessa|praça|"
    r"estrada|ul|ulica|aleja|strada|calea)|"
    r"Via|Place|Square|Route|Cours|Passage|Paseo|Plaza|Largo|Al|Carrera|Ronda"
)
# Compound street names (Dutch, German, Nordic, Finnish): "Kalverstraat", "Mannerheimintie".
_COMPOUND_SUFFIXES = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|hove|markt|"
    r"straße|strasse|str|gasse|allee|platz|ufer|damm|"
    r"vej|veien|vegen|vägen|väg|gatan|gata|gate|gade|stræde|stien|tún|tun|"
    r"katu|kuja|tie|polku|rinne|kaari|tee|tänav|iela|gatve|vei|útja|utca|út|tér|köz|sor"
)
_UNIT = (
    r"(?:apt|apartment|appt|appartement|suite|unit|flat|bldg|po box|p\.o\. box|box|"
    r"boîte postale|bp|piso|apartado)\.?\s?#?\s?\d{1,5}[A-Za-z]?"
)
_NUM = r"\d{1,6}[A-RT-Za-rt-z]?"
# Capitalised function words of title-case headlines are not street names.
_NOT_FUNCTION = r"(?!(?:The|Of|And|For|To|In|On|At|A|An|My|Your|Our|Is|Are|With|From)\s)"
_WORD_CI = rf"{LETTER}[\w'’\-]*"
_NAME_WORD = rf"(?:{CAP_WORD}|(?:{CONNECTORS})(?![\w'’])|[dl]['’]{CAP_WORD})"

_CORES: tuple[tuple[re.Pattern[str], float], ...] = (
    # "14 Baker Street", "90210 14 Baker Street", "8 St Albans Road" (capitalised, few words).
    (
        re.compile(
            rf"(?<![\w.]){_NUM}(?:\s{_NUM})?,?\s(?:{CAP_WORD}\.?\s){{1,3}}?"
            rf"(?i:{_SUFFIX_TYPES})\.?(?![\w])"
        ),
        0.88,
    ),
    # "12 rue de la Paix", "40 Avenida da Liberdade 7", "5 ul. Długa 3".
    (
        re.compile(
            rf"(?<![\w.])(?:{_NUM}\s)?{_NUM},?\s(?:{_PREFIX_TYPES})\.?\s"
            rf"{_NAME_WORD}\.?(?:\s{_NAME_WORD}\.?){{0,4}}(?:,?\s{_NUM}(?![\w]))?"
        ),
        0.88,
    ),
    # "Calle Mayor 5", "Via Garibaldi 9", "ul. Długa 3", "avenue Foch, 12".
    (
        re.compile(
            rf"(?<![\w])(?:{_PREFIX_TYPES})\.?\s(?:{_NAME_WORD}\.?\s){{1,5}}?,?\s?{_NUM}(?![\w])"
        ),
        0.88,
    ),
    # "Kalverstraat 12", "Mannerheimintie 5", "Berliner Strasse 7".
    (
        re.compile(
            rf"(?<![\w])(?:{_NUM}\s)?(?:{CAP_WORD}\s(?i:{_COMPOUND_SUFFIXES})"
            rf"|{UPPER}{LETTER}+?(?i:{_COMPOUND_SUFFIXES}))\.?,?\s(?!(?:19|20)\d\d(?!\w)){_NUM}(?![\w])"
        ),
        0.88,
    ),
    # "220 Lindholmvej 9", "100 Vicolo Stretto 2": number, capitalised words, number.
    (
        re.compile(
            rf"(?<![\w.,]){_NUM}(?:\s{_NUM})?\s(?:{_NOT_FUNCTION}{CAP_WORD}\.?\s){{1,3}}"
            rf"(?!(?:19|20)\d\d(?!\w)){_NUM}\.?(?![\w])"
        ),
        0.86,
    ),
    # Units: "Apt. 4", "Suite 12", "PO Box 12".
    (re.compile(rf"(?<![\w])(?i:{_UNIT})(?![\w])"), 0.86),
    # US military addresses.
    (re.compile(r"(?<![\w])(?i:(?:psc|unit|cmr)\s\d{3,5},?\s+box\s\d{3,5})(?![\w])"), 0.9),
    (
        re.compile(r"(?<![\w])(?i:(?:usns|uss|usnv|uscgc)\s[^\W\d_]+(?:\s[^\W\d_]+)?)(?![\w])"),
        0.86,
    ),
    (re.compile(r"(?<![\w])(?i:(?:apo|fpo|dpo)\s(?:aa|ae|ap)\s\d{5})(?![\w])"), 0.9),
    # "the corner of Elm Street and 5th Avenue".
    (
        re.compile(
            rf"(?i:(?:the\s)?corner\sof\s)(?:{_NAME_WORD}\.?\s|{_NUM}\s){{1,5}}?(?i:and|&)\s"
            rf"(?:{_NAME_WORD}|{_NUM})(?:\s(?:{CAP_WORD}|{_NUM})){{0,3}}"
        ),
        0.85,
    ),
)
# Cue-led: the text after "address:" / "lives at" that looks like a street line.
_CUE = re.compile(
    r"(?i:(?:address(?:\sis)?|lives?\s(?:at|on)|living\sat|moved\sto|adresse|j'habite(?:\sau)?|"
    r"dirección|direccion|domicilio|adres|woon(?:t)?\sop|wohne\sin|indirizzo|morada))"
    r"\s?[:\-]?\s+"
)
_CUE_LINE = re.compile(rf"(?:{_NUM}\s)?(?:{CAP_WORD}\.?\s){{1,4}}{_NUM}(?![\w])")

# What may follow a core on the same or the next lines.
_SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*|(?:\n[ \t]*(?:[>?|*#\-][ \t>?|*#\-]*)?){1,2}|[ \t]+)")
_POSTCODE = (
    r"\d{4,6}(?:[\- ]\d{2,4})?|\d{4}\s?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|"
    r"[A-Z]{1,2}-\d{4,5}"
)
_SEGMENT = re.compile(
    rf"(?:{_UNIT}|(?:{_POSTCODE})(?![\w])|"
    rf"(?:{CAP_WORD}|[A-Z]{{2,3}}|nan)(?![\w])"
    rf"(?:[ \-](?:{CAP_WORD}(?![\w])|(?:{CONNECTORS})(?=\s{UPPER})))*"
    rf"(?:\s\([^()\n]{{1,30}}\))?(?:[ ,]+(?:{_POSTCODE})(?![\w]))?)"
)
_STOP_LABEL = re.compile(
    r"(?i:(?:mobile|phone|tel|fax|desk|office|e-?mail|website|web|name|date|cell)\b)"
)
_MAX_SEGMENTS = 6
_MAX_GAP = 4


def _cores(text: str) -> list[tuple[int, int, float]]:
    found = [(m.start(), m.end(), score) for p, score in _CORES for m in p.finditer(text)]
    for cue in _CUE.finditer(text):
        line = _CUE_LINE.match(text, cue.end())
        if line is not None:
            found.append((line.start(), line.end(), 0.86))
    return found


def _merge(cores: list[tuple[int, int, float]], text: str) -> list[tuple[int, int, float]]:
    merged: list[tuple[int, int, float]] = []
    for start, end, score in sorted(cores):
        if merged:
            m_start, m_end, m_score = merged[-1]
            gap = text[m_end:start]
            if start <= m_end or (len(gap) <= _MAX_GAP and not gap.strip(" ,\n\t>")):
                merged[-1] = (m_start, max(m_end, end), max(m_score, score))
                continue
        merged.append((start, end, score))
    return merged


def _extend(text: str, end: int) -> int:
    """Grow an address over the city / region / country / postcode parts that follow it."""
    for _ in range(_MAX_SEGMENTS):
        sep = _SEPARATOR.match(text, end)
        if sep is None or sep.end() == end:
            return end
        if _STOP_LABEL.match(text, sep.end()):
            return end
        seg = _SEGMENT.match(text, sep.end())
        if seg is None or seg.end() == seg.start():
            return end
        end = seg.end()
    return end


def find_addresses(text: str) -> list[PiiSpan]:
    """Street addresses, each merged with the city, country and postcode lines after it."""
    spans: list[PiiSpan] = []
    for start, end, score in _merge(_cores(text), text):
        stop = _extend(text, end)
        spans.append(PiiSpan(type=ADDRESS, start=start, end=stop, score=score, source="address"))
    return _merge_spans(spans, text)


def _merge_spans(spans: list[PiiSpan], text: str) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    for span in spans:
        if out and span.start <= out[-1].end:
            last = out.pop()
            span = PiiSpan(
                type=ADDRESS,
                start=last.start,
                end=max(last.end, span.end),
                score=max(last.score, span.score),
                source="address",
            )
        out.append(span)
    return out


_POSTCODE_CUE = re.compile(
    r"(?<![\w])(?i:zip(?:\scode)?|post\s?code|postal\scode|code\spostal|c[oó]digo\spostal|cp|"
    r"plz|postleitzahl|cap)(?![\w])\s?(?i:is|est|es|:|-|=)?\s?"
)
_POSTCODE_VALUE = re.compile(rf"(?:{_POSTCODE}|\d{{3,5}})(?![\w])")


def find_postcodes(text: str) -> list[PiiSpan]:
    """Postcodes announced as such ("zip code 75011", "code postal : 1000", "PLZ 10115")."""
    spans: list[PiiSpan] = []
    for cue in _POSTCODE_CUE.finditer(text):
        value = _POSTCODE_VALUE.match(text, cue.end())
        if value is not None:
            spans.append(
                PiiSpan(
                    type=ADDRESS,
                    start=value.start(),
                    end=value.end(),
                    score=0.8,
                    source="postcode",
                    detail="POSTCODE",
                )
            )
    return spans
