"""The patient's sign-off link: a signed token naming one request, made the way the
consent withdrawal link is (consent.tokens), with a salt of its own so neither token is
valid for the other. The request's own expiry decides how long it works."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "signoff.patient-link"


def make_token(sign_off_request):
    return signing.dumps({"request": sign_off_request.pk}, salt=SALT, compress=False)


def request_id_from_token(token):
    """The request id the token was made for, or None if it was forged or damaged."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    request_id = data.get("request") if isinstance(data, dict) else None
    return request_id if isinstance(request_id, int) else None


def sign_off_url(sign_off_request):
    path = reverse("signoff:page", args=[make_token(sign_off_request)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
