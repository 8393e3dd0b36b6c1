"""Personal-data detection and masking for posts, inbox cases and replies.

Example::

    from tocsin.privacy.pii import PiiDetector, mask_text

    detector = PiiDetector(mode="fast")
    text = "Call me on 06 12 34 56 78"
    mask_text(text, detector.detect(text, lang="fr"))  # -> "Call me on [PHONE]"
"""

from tocsin.privacy.pii.detector import PiiDetector
from tocsin.privacy.pii.errors import PiiModelMissingError
from tocsin.privacy.pii.evaluate import evaluate_pii
from tocsin.privacy.pii.masking import mask_text
from tocsin.privacy.pii.spans import PiiSpan

__all__ = ["PiiDetector", "PiiModelMissingError", "PiiSpan", "evaluate_pii", "mask_text"]
