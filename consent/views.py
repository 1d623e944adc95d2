from pathlib import Path

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.log_actions import log

from consent.models import FORM_DOWNLOADED, Consent
from consent.permissions import is_consent_officer
from consent.tokens import consent_id_from_token


def _private(response):
    # The token in the URL must not leak to other sites, caches or search engines.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """The patient's one-click withdrawal: no login; the signed token names one consent.

    No CSRF check: the token in the address is the credential, and a page another site
    could make the browser post here would need it. A mail client's preview, a browser
    sending ``Origin: null`` (this page's ``no-referrer``) or one without cookies must
    never stand between a patient and their withdrawal. A GET only shows the page.

    A link from a consent that was later superseded withdraws the consents that replaced
    it too: the patient never has to know which version they signed.
    """
    consent_id = consent_id_from_token(token)
    consent = Consent.objects.filter(pk=consent_id).first() if consent_id else None
    if consent is None:
        return _private(render(request, "consent/withdraw_invalid.html", status=404))
    chain = consent.with_successors()
    if request.method == "POST":
        for each in chain:
            each.withdraw(Consent.WithdrawalChannel.PATIENT_LINK)
        return redirect(request.path)
    current = chain[-1]
    context = {
        "consent": current,
        "chain": chain,
        "all_withdrawn": all(each.withdrawn_at for each in chain),
        "linked_titles": sorted({title for each in chain for title in each.linked_titles()}),
    }
    return _private(render(request, "consent/withdraw.html", context))


@never_cache
@require_GET
def signed_form(request, pk):
    """Stream a signed form to a consent officer; logged. Nobody else, by any URL."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not is_consent_officer(request.user):
        raise PermissionDenied
    consent = get_object_or_404(Consent, pk=pk)
    if not consent.signed_form:
        raise Http404("This consent has no signed form.")
    try:
        file = consent.signed_form.open("rb")
    except FileNotFoundError as error:
        raise Http404("The signed form file is missing.") from error
    log(instance=consent, action=FORM_DOWNLOADED, user=request.user)
    extension = Path(consent.signed_form.name).suffix.lower()
    response = FileResponse(
        file, as_attachment=True, filename=f"consent-{consent.pk}-signed-form{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
