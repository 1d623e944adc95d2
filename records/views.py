"""The evidence pack download: consent officers only, each download logged."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.log_actions import log
from wagtail.models import Page

from consent.permissions import is_consent_officer
from records.evidence import CONTENT_MODELS, render_pdf

EVIDENCE_PACK_DOWNLOADED = "records.evidence_pack_downloaded"


def evidence_pack_url(item):
    return reverse(
        "records_evidence_pack", args=[item._meta.app_label, item._meta.model_name, item.pk]
    )


@require_GET
def evidence_pack(request, app_label, model_name, pk):
    if not is_consent_officer(request.user):
        raise PermissionDenied
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in CONTENT_MODELS:
        raise Http404
    item = get_object_or_404(model, pk=pk)
    if isinstance(item, Page):
        item = item.specific
    pdf = render_pdf(item, request.user)
    log(instance=item, action=EVIDENCE_PACK_DOWNLOADED, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"evidence-pack-{model_name}-{pk}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Patient data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response
