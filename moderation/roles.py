"""The roles of DOMAIN.md as Django groups (created by migration 0002)."""

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
