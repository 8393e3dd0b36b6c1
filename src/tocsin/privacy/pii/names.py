"""Names announced by their context, and dates of birth.

spaCy's small models miss many names that are obvious to a reader because of the words around
them: a title ("Dr. Ilona Várady", "Mme Dupont", "Sr. García"), an introduction ("my name
is…", "je m'appelle…", "ik heet…"), a greeting ("Hi Ottavio,", "Bonjour Claire"). Dates are not
personal data on their own ("the 2016 act"), so only dates introduced as a birth date are kept.

Example::

    find_cued_names("Bonjour, je m'appelle Claire Martin.")
    # -> [PiiSpan(type="PERSON", text "Claire Martin", source="name-cue")]
    find_birth_dates("né le 12/05/1985 à Lyon")
    # -> [PiiSpan(type="DATE_OF_BIRTH", text "12/05/1985")]
"""

from __future__ import annotations

import re
from functools import cache

from tocsin.privacy.pii.lexicon import CAP_WORD, CONNECTORS, DATE, INITIAL, UPPER
from tocsin.privacy.pii.spans import DATE_OF_BIRTH, PERSON, PiiSpan

# "Ilona Várady", "Jonas K. Lindqvist", "Ludwig van Beethoven": names end on a capitalised word.
_NAME = (
    rf"{CAP_WORD}(?:\s(?:{INITIAL}\s)?(?:(?:{CONNECTORS})\s)?{CAP_WORD}){{0,3}}"
    rf"|{INITIAL}\s{CAP_WORD}(?:\s{CAP_WORD})?"
)
_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Madam|Mme|Mlle|Mmes|Sr|Sra|Srta|Dña|"
    r"Doña|Dhr|Mevr|Mevrouw|Meneer|Herr|Frau|Sig|Sig\.ra|Dott|Dott\.ssa|Monsieur|Madame|"
    r"Mademoiselle|Señor|Señora|Senhor|Senhora|Signor|Signora|Dra"
)
_NOT_TITLE = rf"(?!(?:{_TITLES}|M)\.?\s)"
_TITLED = re.compile(rf"(?<![\w])(?:{_TITLES}|M\.)\.?\s(?P<name>{_NAME})")

# Introductions name one person: one capitalised word is enough.
_INTRO = re.compile(
    r"(?<![\w])(?i:my\sname\sis|my\sname's|name\sis|name\s?:|full\sname\s?:|"
    r"this\sis|signed|je\sm'appelle|je\sm’appelle|mon\snom\sest|nom\s?:|me\sllamo|"
    r"mi\snombre\ses|nombre\s?:|ik\sheet|mijn\snaam\sis|naam\s?:|ich\sheiße|ich\sheisse|"
    r"mein\sname\sist|mi\schiamo|il\smio\snome\sè|chamo-me|o\smeu\snome\sé)"
    rf"[ \t]*{_NOT_TITLE}(?P<name>{_NAME})"
)
# Greetings, sign-offs and "I am": a single capitalised word may be a common noun here
# ("Hi Team"), so those words are excluded and "I am" needs two words.
_GREETING = re.compile(
    r"(?<![\w])(?i:dear|hi|hello|hey|bonjour|bonsoir|salut|cher|chère|hola|estimado|"
    r"estimada|querido|querida|hallo|beste|lieve|liebe|lieber|ciao|caro|cara|olá|ola|"
    r"regards|best\sregards|kind\sregards|cordialement|saludos|met\svriendelijke\sgroet|"
    r"groeten|grüße|cumprimentos)"
    rf",?\s+{_NOT_TITLE}(?P<name>{_NAME})"
)
_I_AM = re.compile(
    rf"(?<![\w])(?i:i\sam|i'm|i’m|je\ssuis|soy|ik\sben|ich\sbin|sono)\s"
    rf"{_NOT_TITLE}(?P<name>{CAP_WORD}\s(?:{INITIAL}\s)?{CAP_WORD})"
)
# Naming verbs and a few prepositions: "was called Harriet Quill", "follow up with Ingrid
# Solberg". After a preposition a full "First Last" name is required ("with Apple" is not one).
_CALLED = re.compile(
    rf"(?<![\w])(?i:called|named|call\sme|calls\sme|known\sas|signed\sby|directed\sby|"
    rf"written\sby|appelée?|llamad[oa]|genaamd|heet)\s{_NOT_TITLE}(?P<name>{_NAME})"
)
_WITH_FULL_NAME = re.compile(
    rf"(?<![\w])(?i:with|to|by|under|for|from|avec|à|con|para|met|voor|mit|für)\s{_NOT_TITLE}"
    rf"(?P<name>{CAP_WORD}\s(?:{INITIAL}\s)?{CAP_WORD})(?![\w'’-]|\s{UPPER})"
)
# Residence verbs follow a person ("Tomasz lives on 7 Mill Lane").
_RESIDENT = re.compile(
    rf"(?P<name>{_NAME})\s(?i:lives|lived|resides|resided|grew\sup|habite|vive|woont|wohnt)(?![\w])"
)
# A chat transcript names its speakers: 'Ruth: "Did it ship?"'.
_SPEAKER = re.compile(rf"(?m)^[ \t>]*(?P<name>{CAP_WORD}(?:\s{CAP_WORD})?)[ \t]*:[ \t]*[\"“«]")
# Transcripts without quotes ("Ruth: Is it fixed?") when two or more lines look like that.
_SPEAKER_LINE = re.compile(rf"(?m)^[ \t>]*(?P<name>{CAP_WORD})[ \t]*:[ \t]+(?=\S)")
_LABELS = frozenset(
    {
        "name",
        "phone",
        "mobile",
        "fax",
        "desk",
        "address",
        "email",
        "e-mail",
        "website",
        "web",
        "date",
        "when",
        "where",
        "time",
        "subject",
        "from",
        "to",
        "cc",
        "title",
        "note",
        "notes",
        "q",
        "a",
        "bot",
        "user",
        "agent",
        "customer",
        "client",
        "re",
        "answer",
        "question",
        "ps",
        "tel",
        "company",
        "order",
        "ref",
        "zip",
        "city",
        "country",
        "nom",
        "adresse",
        "téléphone",
        "nombre",
        "dirección",
        "teléfono",
        "naam",
        "adres",
        "telefoon",
        "datum",
        "betreff",
        "von",
        "an",
    }
)
# A contact card or signature starts with the person's name alone on its line.
_NAME_LINE = re.compile(
    rf"\A[\s>?*|]*(?P<name>(?:{CAP_WORD}|{INITIAL})"
    rf"(?:[ \t]+(?:{CAP_WORD}|{INITIAL})){{1,3}})[ \t]*\n"
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
    spans: list[PiiSpan] = find_speakers(text)
    for pattern, score, source in (
        (_TITLED, 0.88, "title"),
        (_INTRO, 0.87, "name-cue"),
        (_GREETING, 0.8, "greeting"),
        (_I_AM, 0.75, "name-cue"),
        (_RESIDENT, 0.86, "name-cue"),
        (_CALLED, 0.84, "name-cue"),
        (_WITH_FULL_NAME, 0.8, "name-prep"),
        (_SPEAKER, 0.86, "speaker"),
        (_NAME_LINE, 0.75, "name-line"),
    ):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name.lower() in _NOT_NAMES or name.split()[0].lower() in _NOT_NAMES:
                continue
            if looks_like_organisation(name):
                continue
            if name.isupper() and source in ("name-prep", "greeting"):
                continue  # "WRITE TO CUSTOMER SERVICE": shouting, not a name
            spans.append(
                PiiSpan(
                    type=PERSON,
                    start=m.start("name"),
                    end=m.end("name"),
                    score=score,
                    source=source,
                )
            )
    return spans


_ORG_WORDS = frozenset(
    {
        "inc",
        "ltd",
        "llc",
        "llp",
        "plc",
        "corp",
        "corporation",
        "company",
        "co",
        "group",
        "technologies",
        "technology",
        "bank",
        "orchestra",
        "band",
        "club",
        "university",
        "agency",
        "systems",
        "solutions",
        "services",
        "partners",
        "associates",
        "foundation",
        "institute",
        "gmbh",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "ag",
        "holdings",
        "labs",
        "media",
        "records",
        "studios",
        "hotel",
        "restaurant",
        "airlines",
        "insurance",
        "consulting",
        "software",
        "pharma",
        "capital",
        "ventures",
        "markets",
        "international",
    }
)


def looks_like_organisation(value: str) -> bool:
    """Whether a capitalised sequence names a company or a band rather than a person."""
    return any(word.strip(".,&").lower() in _ORG_WORDS for word in value.split())


def find_speakers(text: str) -> list[PiiSpan]:
    """Speaker names of a chat transcript, when at least two lines start with "Name:"."""
    lines = [m for m in _SPEAKER_LINE.finditer(text) if m.group("name").lower() not in _LABELS]
    if len(lines) < 2:
        return []
    return [
        PiiSpan(type=PERSON, start=m.start("name"), end=m.end("name"), score=0.86, source="speaker")
        for m in lines
    ]


@cache
def _common_words() -> frozenset[str]:
    """spaCy's English and French stop words, loaded on first use (full mode only)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
    from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP_WORDS

    return frozenset(EN_STOP_WORDS | FR_STOP_WORDS)


def propagate_names(text: str, spans: list[PiiSpan]) -> list[PiiSpan]:
    """Every other occurrence of a name found once is the same person.

    A contact block repeats the name; a story names "Zofia Wrona" once and "Wrona"
    after; spaCy may call the later mention a place or miss it. The returned spans cover each
    further occurrence of the full name and of its words (not of common words like "Will").
    """
    names: set[str] = set()
    for span in spans:
        if span.type != PERSON or span.end - span.start <= 2:
            continue
        value = text[span.start : span.end]
        names.add(value)
        names.update(
            word
            for word in value.split()
            if len(word) >= 3 and word[0].isupper() and word.lower() not in _common_words()
        )
    extra: list[PiiSpan] = []
    for name in names:
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            extra.append(
                PiiSpan(type=PERSON, start=m.start(), end=m.end(), score=0.855, source="repeat")
            )
    return extra


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
