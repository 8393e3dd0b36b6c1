"""Places announced by what a person says about where they are, live or come from.

spaCy's small models miss small towns and upper-case names ("SKIBBEREEN", "Nieuw Vennep"), yet
"I grew up in …", "we moved here from …", "je suis à …" leave no doubt. Only such phrases about
a person's whereabouts count: "in March" or "to John" are never taken.

Example::

    find_cued_places("My aunt grew up in SKIBBEREEN.")
    # -> [PiiSpan(type="LOCATION", text "SKIBBEREEN", source="place-cue")]
"""

from __future__ import annotations

import re

from tocsin.privacy.pii.lexicon import CAP_WORD, CONNECTORS, UPPER
from tocsin.privacy.pii.spans import LOCATION, PiiSpan

_PLACE = (
    rf"{CAP_WORD}(?:[ \-](?:{CAP_WORD}|(?:{CONNECTORS})(?=[ \-]{UPPER}))){{0,4}}"
    r"(?:\s\([^()\n]{1,20}\))?"
)
_CUES = (
    r"grew\sup\sin|born\sin|live\sin|lives\sin|living\sin|lived\sin|moved\s(?:here\s)?(?:from|to)|"
    r"i'm\sin|i’m\sin|i\sam\sin|we\sare\sin|we're\sin|based\sin|located\sin|staying\sin|"
    r"travel(?:l)?ing\sto|trip\sto|flew\sto|flying\sto|vacation\sin|holiday\sin|visiting|"
    r"home\scity|hometown|from\saround\sthe\sworld\sto|year\sin|originally\sfrom|"
    r"comes?\sfrom|where\s?:|arrived\s(?:at|in)|returned\sto|went\sto|moving\sto|"
    r"relocated\sto|"
    r"je\ssuis\sà|j'habite\sà|j’habite\sà|je\svis\sà|originaire\sde|"
    r"vivo\sen|estoy\sen|soy\sde|nací\sen|"
    r"ik\swoon\sin|ik\sben\sin|ik\skom\suit|geboren\sin|"
    r"ich\swohne\sin|ich\sbin\sin|ich\skomme\saus"
)
_CUED = re.compile(rf"(?<![\w])(?i:{_CUES})[ \t]*:?[ \t]+(?P<place>{_PLACE})")


def find_cued_places(text: str) -> list[PiiSpan]:
    """Places right after a phrase about where someone is, lives, or comes from."""
    return [
        PiiSpan(
            type=LOCATION,
            start=m.start("place"),
            end=m.end("place"),
            score=0.86,
            source="place-cue",
        )
        for m in _CUED.finditer(text)
    ]
