"""The patient's one-click withdrawal link: a signed token bound to one consent.

No login and no expiry (a patient may withdraw years later). The salt keeps these
tokens from being valid anywhere else that signs with the same key; the consent id
inside keeps a token for one consent from ever withdrawing another.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "consent.withdrawal-link"


def make_withdrawal_token(consent):
    return signing.dumps({"consent": consent.pk}, salt=SALT, compress=False)


def consent_id_from_token(token):
    """The consent id the token was made for, or None if it was forged or damaged."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    consent_id = data.get("consent") if isinstance(data, dict) else None
    return consent_id if isinstance(consent_id, int) else None


def withdrawal_url(consent, request=None):
    path = reverse("consent:withdraw", args=[make_withdrawal_token(consent)])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
