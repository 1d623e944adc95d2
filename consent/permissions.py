"""Patient identity, contact data and signed forms are for consent officers only.

The model permissions a user holds are not enough on their own: every view of a patient
or a consent also needs ``consent.view_patient_contact``, so an editor who was given a
consent permission by mistake still sees nothing private.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

CONSENT_OFFICER_PERMISSION = "consent.view_patient_contact"


def is_consent_officer(user):
    return bool(user and user.is_active and user.has_perm(CONSENT_OFFICER_PERMISSION))


class ConsentOfficerPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return is_consent_officer(user) and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        officers = get_user_model().objects.with_perm(CONSENT_OFFICER_PERMISSION)
        return super().users_with_any_permission(actions).filter(pk__in=officers.values("pk"))
