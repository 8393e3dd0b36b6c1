"""Encrypting secrets at rest (platform credentials, webhook secrets).

The Fernet key is derived from ``TOCSIN_SECRET_KEY`` with HKDF, so rotating that key makes old
ciphertexts unreadable: :func:`decrypt_json` then raises :class:`SecretError` with the fix.

Example::

    box = SecretBox(settings.secret_key)
    token = box.encrypt_json({"app_password": "xxxx"})
    box.decrypt_json(token)["app_password"]
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SecretError(ValueError):
    """A secret could not be decrypted."""


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"tocsin-secrets-v1", info=b"fernet"
        ).derive(secret_key.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt_json(self, value: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(value, sort_keys=True).encode())

    def decrypt_json(self, token: bytes) -> dict[str, Any]:
        try:
            data = json.loads(self._fernet.decrypt(token))
        except InvalidToken as exc:
            raise SecretError(
                "stored credentials cannot be decrypted with the current TOCSIN_SECRET_KEY; "
                "restore the previous key or enter the credentials again"
            ) from exc
        if not isinstance(data, dict):
            raise SecretError("stored credentials are not a JSON object")
        return data
