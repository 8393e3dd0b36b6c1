"""The generic inbound webhook source: canonical posts pushed by any system, HMAC-signed.

Example::

    tocsin sources add shop-reviews --platform webhook --secret secret=$(openssl rand -hex 32)
"""

from tocsin.connectors.spec import FieldSpec, PlatformSpec

SPEC = PlatformSpec(
    platform="webhook",
    label="Inbound webhook",
    raw_platform="canonical",
    modes=("webhook",),
    credentials=(
        FieldSpec("secret", "Signing secret", required=True, help="shared with the sender"),
    ),
    post_platforms=("webhook",),
)

__all__ = ["SPEC"]
