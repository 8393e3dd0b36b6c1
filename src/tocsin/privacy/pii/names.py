"""Names announced by their context, and dates of birth.

spaCy's small models miss many names that are obvious to a reader because of the words around
them: a title ("Dr. Berta Szöllössy", "Mme Dupont", "Sr. García"), an introduction ("my name
is…", "je m'appelle…", "ik heet…"), a greeting ("Hi Manlio,", "Bonjour Claire"). Dates are not
personal data on their own ("the 2016 act"), so only dates introduced as a birth date are kept.

Example::

    find_cued_names("Bonjour, je m'appelle Claire Martin.")
    # -> [PiiSpan(type="PERSON", text "Claire Martin", source="name-cue")]
    find_birth_dates("né le 12/05/1985 à Lyon")
    # -> [PiiSpan(type="DATE_OF_BIRTH", text "12/05/1985")]
"""

from __future__ import annotations

import re

from tocsin.privacy.pii.lexicon import CAP_WORD, CONNECTORS, DATE, INITIAL
from tocsin.privacy.pii.spans import DATE_OF_BIRTH, PERSON, PiiSpan

# "Berta Szöllössy", "Mohmad R. Vizirov", "Ludwig van Beethoven": names end on a capitalised word.
_NAME = (
    rf"{CAP_WORD}(?:\s(?:{INITIAL}\s)?(?:(?:{CONNECTORS})\s)?{CAP_WORD}){{0,3}}"
    rf"|{INITIAL}\s{CAP_WORD}(?:\s{CAP_WORD})?"
)
_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Madam|Mme|Mlle|Mmes|Sr|Sra|Srta|Dña|"
    r"Doña|Dhr|Mevr|Mevrouw|Meneer|Herr|Frau|Sig|Sig\.ra|Dott|Dott\.ssa|Monsieur|Madame|"
    r"Mademoiselle|Señor|Señora|Senhor|Senhora|Signor|Signora|Dra"
)
_TITLED = re.compile(rf"(?<![\w])(?:{_TITLES}|M\.)\.?\s(?P<name>{_NAME})")

# Introductions name one person: one capitalised word is enough.
_INTRO = re.compile(
    r"(?<![\w])(?i:my\sname\sis|my\sname's|name\sis|name\s?:|full\sname\s?:|"
    r"this\sis|signed|je\sm'appelle|je\sm’appelle|mon\snom\sest|nom\s?:|me\sllamo|"
    r"mi\snombre\ses|nombre\s?:|ik\sheet|mijn\snaam\sis|naam\s?:|ich\sheiße|ich\sheisse|"
    r"mein\sname\sist|mi\schiamo|il\smio\snome\sè|chamo-me|o\smeu\snome\sé)"
    rf"[ \t]*(?P<name>{_NAME})"
)
# Greetings, sign-offs and "I am": a single capitalised word may be a common noun here
# ("Hi Team"), so those words are excluded and "I am" needs two words.
_GREETING = re.compile(
    r"(?<![\w])(?i:dear|hi|hello|hey|bonjour|bonsoir|salut|cher|chère|hola|estimado|"
    r"estimada|querido|querida|hallo|beste|lieve|liebe|lieber|ciao|caro|cara|olá|ola|"
    r"regards|best\sregards|kind\sregards|cordialement|saludos|met\svriendelijke\sgroet|"
    r"groeten|grüße|cumprimentos)"
    rf",?\s+(?P<name>{_NAME})"
)
_I_AM = re.compile(
    rf"(?<![\w])(?i:i\sam|i'm|i’m|je\ssuis|soy|ik\sben|ich\sbin|sono)\s"
    rf"(?P<name>{CAP_WORD}\s(?:{INITIAL}\s)?{CAP_WORD})"
)
_NOT_NAMES = frozenset(
    {
        "all",
        "everyone",
        "everybody",
        "team",
        "there",
        "guys",
        "folks",
        "friends",
        "support",
        "customer",
        "service",
        "sir",
        "madam",
        "bot",
        "tous",
        "toutes",
        "équipe",
        "todos",
        "todas",
        "equipo",
        "allemaal",
        "iedereen",
        "team!",
        "again",
        "so",
        "for",
        "a",
        "the",
        "very",
        "in",
        "i",
        "we",
        "you",
        "it",
        "not",
        "a lot",
    }
)
_BIRTH_CUE = re.compile(
    r"(?<![\w])(?i:born(?:\son)?|date\sof\sbirth|birth\sdate|birthdate|birthday(?:\sis)?|dob|"
    r"d\.o\.b\.?|né(?:e)?\sle|née?\sle|date\sde\snaissance|fecha\sde\snacimiento|nacid[oa]\sel|"
    r"geboren(?:\sop|\sam)?|geboortedatum|geburtsdatum|data\sdi\snascita|nat[oa]\sil|"
    r"data\sde\snascimento|nascid[oa]\sem)(?![\w])[ \t]*[:\-]?[ \t]*(?:on\s|the\s|el\s|le\s)?"
)
_DATE = re.compile(DATE, re.IGNORECASE)


def find_cued_names(text: str) -> list[PiiSpan]:
    """Person names after a title, an introduction or a greeting."""
    spans: list[PiiSpan] = []
    for pattern, score, source in (
        (_TITLED, 0.88, "title"),
        (_INTRO, 0.87, "name-cue"),
        (_GREETING, 0.8, "greeting"),
        (_I_AM, 0.75, "name-cue"),
    ):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name.lower() in _NOT_NAMES or name.split()[0].lower() in _NOT_NAMES:
                continue
            spans.append(
                PiiSpan(
                    type=PERSON, start=m.start("name"), end=m.end("name"), score=score, source=source
                )
            )
    return spans


def find_birth_dates(text: str) -> list[PiiSpan]:
    """Dates introduced as a birth date ("born on", "né le", "fecha de nacimiento"…)."""
    spans: list[PiiSpan] = []
    for cue in _BIRTH_CUE.finditer(text):
        date = _DATE.match(text, cue.end())
        if date is not None:
            spans.append(
                PiiSpan(
                    type=DATE_OF_BIRTH,
                    start=date.start(),
                    end=date.end(),
                    score=0.9,
                    source="birth-date",
                )
            )
    return spans
