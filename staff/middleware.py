from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from staff.two_factor import required_for

# Where a session unlocks something: the admin, signed consent forms, documents.
PROTECTED = ("/admin/", "/consent/signed-forms/", "/documents/")
# What a signed-in person still needs before their second factor.
EXEMPT = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "staff_two_factor_setup",
    "staff_two_factor_verify",
}


class RequireTwoFactorMiddleware:
    """Until a session is verified with a second factor (django_otp's OTPMiddleware runs
    before this), a person who needs one reaches nothing but the pages that set it up or
    ask for it: not the admin, not a signed consent form, nothing a session unlocks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request)
            and required_for(user)
        ):
            has_device = user_has_device(user, confirmed=True)
            target = "staff_two_factor_verify" if has_device else "staff_two_factor_setup"
            return redirect_to_login(request.get_full_path(), reverse(target))
        return self.get_response(request)

    def _exempt(self, request):
        if not request.path.startswith(PROTECTED):
            # Public pages answer the same for everyone; nothing there needs the session.
            return True
        try:
            return resolve(request.path_info).url_name in EXEMPT
        except Resolver404:
            return False
