"""Set up an authenticator app (TOTP) and give its code at sign-in."""

import base64
import io

import django_otp
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from staff.forms import TokenForm
from staff.two_factor import required_for

DEVICE_NAME = "Authenticator app"


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "wagtailadmin_home"


@never_cache
def setup(request):
    """Add an authenticator app: scan the code, confirm with one code from it."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed is not None:
        return TemplateResponse(
            request,
            "staff/two_factor_setup.html",
            {"confirmed": confirmed, "required": required_for(request.user)},
        )
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error(
            "token", "That code is not right. Check the time on your phone and try again."
        )
    svg = io.BytesIO()
    write_qrcode_image(device.config_url, svg)
    context = {
        "form": form,
        # Generated here from our own data: safe to put in the page as it is.
        "qr_svg": mark_safe(svg.getvalue().decode()),  # noqa: S308
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next(request),
        "required": required_for(request.user),
    }
    return TemplateResponse(request, "staff/two_factor_setup.html", context)


@never_cache
def verify(request):
    """The second step of signing in. django-otp throttles wrong codes per device."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("token", "That code is not right, or it has been used already.")
    return TemplateResponse(
        request, "staff/two_factor_verify.html", {"form": form, "next": _next(request)}
    )
