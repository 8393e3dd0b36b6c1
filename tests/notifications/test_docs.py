"""The verification snippet of docs/notifications.md works on a real signed request."""

from __future__ import annotations

import re
from pathlib import Path

from fakes.receivers import HttpReceiver
from tocsin.notifications.message import Notification
from tocsin.notifications.senders import SIGNATURE_HEADER, WebhookSender

DOC = Path(__file__).parents[2] / "docs" / "notifications.md"


def test_the_documented_verify_snippet_accepts_tocsin_and_refuses_tampering(
    http_receiver: HttpReceiver,
):
    snippet = re.search(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S).group(1)
    assert len(snippet.strip().splitlines()) <= 5
    namespace: dict = {}
    exec(snippet, namespace)  # our own documentation
    verify = namespace["verify"]

    secret = "whsec_documented-secret-123"
    WebhookSender(url=http_receiver.url, secret=secret).send(
        Notification(key="test:1:x", subject="Hello", text="World")
    )
    got = http_receiver.requests[0]
    header = got.headers[SIGNATURE_HEADER]
    assert verify(secret, header, got.body)
    assert not verify(secret, header, got.body + b" ")
    assert not verify("whsec_another-secret-4567", header, got.body)
    stale = re.sub(r"t=\d+", "t=1000000", header)
    assert not verify(secret, stale, got.body)
