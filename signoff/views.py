"""The patient's sign-off page: no login, the signed token in the address names one
request. Its forms are CSRF-protected like every form of the site: the page sends
``Referrer-Policy: same-origin`` (not ``no-referrer``, which makes browsers send
``Origin: null`` with a form and Django refuse it), so the address with its token still
never leaves for another site."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core import ratelimit
from core.clientip import client_ip
from core.guards import limit_body
from core.http import no_shared_cache
from signoff import services
from signoff.forms import ApproveForm, ChangesForm
from signoff.models import RateLimitCounter, SignOffRequest
from signoff.tokens import request_id_from_token
from stories.models import PatientPhoto, PatientPhotoRendition
from stories.views import send_file

# Answers per address and hour: a patient needs one or two.
ANSWERS_PER_WINDOW = 20


def _private(response):
    no_shared_cache(response)
    response["Cache-Control"] += ", no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def request_for(token):
    request_id = request_id_from_token(token)
    if request_id is None:
        return None
    return (
        SignOffRequest.objects.select_related("task_state", "consent__patient")
        .filter(pk=request_id)
        .first()
    )


@never_cache
@require_http_methods(["GET", "POST"])
@limit_body(16 * 1024)
def sign_off(request, token):
    sign_off_request = request_for(token)
    if sign_off_request is None:
        return _private(render(request, "signoff/invalid.html", status=404))
    context = {
        "sign_off": sign_off_request,
        "withdrawal_url": services.withdrawal_link(sign_off_request),
        "consent_active": sign_off_request.consent.status == "active",
    }
    if not sign_off_request.is_open():
        return _private(render(request, "signoff/closed.html", context))
    html = services.render_for_patient(sign_off_request, token)
    digest = services.sha256(html)
    approve_form = ApproveForm(initial={"content_sha256": digest})
    changes_form = ChangesForm()
    status = 200
    if request.method == "POST":
        ip = client_ip(request)
        if ratelimit.hit(RateLimitCounter, "answer", ip) > ANSWERS_PER_WINDOW:
            return _private(render(request, "signoff/rate_limited.html", status=429))
        try:
            if request.POST.get("decision") == "approve":
                approve_form = ApproveForm(request.POST)
                if approve_form.is_valid():
                    if approve_form.cleaned_data["content_sha256"] != digest:
                        context["changed"] = True
                        approve_form = ApproveForm(initial={"content_sha256": digest})
                        status = 409
                    else:
                        services.approve(
                            sign_off_request,
                            html,
                            ip=ip,
                            user_agent=request.META.get("HTTP_USER_AGENT", ""),
                        )
                        return redirect(request.path)
            elif request.POST.get("decision") == "changes":
                changes_form = ChangesForm(request.POST)
                if changes_form.is_valid():
                    services.request_changes(
                        sign_off_request, changes_form.cleaned_data["message"]
                    )
                    return redirect(request.path)
            else:
                raise PermissionDenied
        except services.NotOpen:
            return redirect(request.path)
        if status == 200:
            status = 400
    context.update(
        content=mark_safe(html),  # noqa: S308 (rendered by our templates, escaped there)
        content_sha256=digest,
        approve_form=approve_form,
        changes_form=changes_form,
    )
    return _private(render(request, "signoff/page.html", context, status=status))


@require_safe
def photo(request, token, name):
    """A photo of the content under sign-off, for the patient holding the link while it
    is open: the same files the public view keeps private until the content is live."""
    sign_off_request = request_for(token)
    if sign_off_request is None or not sign_off_request.is_open():
        raise Http404
    photo_ids = {each.pk for each in sign_off_request.content().photos()}
    rendition = PatientPhotoRendition.objects.filter(file=name, image_id__in=photo_ids).first()
    original = (
        None if rendition else PatientPhoto.objects.filter(file=name, pk__in=photo_ids).first()
    )
    if rendition is None and original is None:
        raise Http404
    return _private(send_file((rendition or original).file))
