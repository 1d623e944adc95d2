from django.urls import path, reverse
from wagtail import hooks

from staff import views


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("two-factor/setup/", views.setup, name="staff_two_factor_setup"),
        path("two-factor/verify/", views.verify, name="staff_two_factor_verify"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    # Offered to everyone, required for some (staff.two_factor).
    return {
        "url": reverse("staff_two_factor_setup"),
        "label": "Two-factor authentication",
        "help_text": "Ask for a code from your phone's authenticator app when you sign in.",
    }
