"""The roles of DOMAIN.md as Django groups (created by moderation migration 0002)."""

EDITORS = "Editors"
CONSENT_OFFICERS = "Consent officers"
CLINICAL_REVIEWERS = "Clinical reviewers"
COMPLIANCE_APPROVERS = "Compliance approvers"
SITE_ADMINISTRATORS = "Site administrators"

ALL_ROLES = [
    EDITORS,
    CONSENT_OFFICERS,
    CLINICAL_REVIEWERS,
    COMPLIANCE_APPROVERS,
    SITE_ADMINISTRATORS,
]


def member_emails(*roles):
    """Active members' addresses of the named roles; a role nobody holds is simply empty."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(groups__name__in=roles, is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))
