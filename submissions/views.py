from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from consent.models import ConsentText
from core.clientip import client_ip
from core.guards import limit_body
from submissions import ratelimit
from submissions.forms import CONSENT_YEARS, ShareStoryForm
from submissions.images import MAX_PHOTO_SIZE
from submissions.services import create_submission, expiry_from

# The photo's limit and room for the text: anything larger is refused unread, so a
# 500 MB upload never reaches the disk (cms/guards.py).
SHARE_FORM_MAX_BODY = MAX_PHOTO_SIZE + 1024 * 1024


def _private(response):
    # The form carries a CSRF token and the patient's own words: never in a shared cache.
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@limit_body(SHARE_FORM_MAX_BODY)
def share(request):
    text = ConsentText.current()
    if text is None:
        return _private(render(request, "submissions/unavailable.html", status=503))
    ip = client_ip(request)
    if request.method == "POST":
        # Each request takes its slot atomically before any work, and a submission takes
        # one more just before it is stored: parallel requests cannot overshoot.
        if ratelimit.is_limited(ip) or not ratelimit.take("attempt", ip):
            return _rate_limited(request)
        form = ShareStoryForm(request.POST, request.FILES, consent_text=text)
        if form.is_spam:
            # Pretend it worked, store nothing: a bot learns nothing from the answer.
            ratelimit.hit("submitted", ip)
            return redirect("submissions:thanks")
        if form.is_valid():
            if not ratelimit.take("submitted", ip):
                return _rate_limited(request)
            create_submission(form, request)
            return redirect("submissions:thanks")
    else:
        form = ShareStoryForm(consent_text=text)
    context = {
        "form": form,
        "consent_text": text,
        "consent_years": CONSENT_YEARS,
        "expires_on": expiry_from(timezone.localdate()),
    }
    return _private(render(request, "submissions/share.html", context))


def _rate_limited(request):
    return _private(render(request, "submissions/rate_limited.html", status=429))


@require_GET
def thanks(request):
    return _private(render(request, "submissions/thanks.html"))
