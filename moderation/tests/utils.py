from core import roles
from core.factories import SuperuserFactory, UserFactory


class RoleUsers:
    @classmethod
    def make_users(cls):
        cls.editor = UserFactory(username="edna", roles=[roles.EDITORS])
        cls.reviewer = UserFactory(username="rhea", roles=[roles.CLINICAL_REVIEWERS])
        cls.approver = UserFactory(username="april", roles=[roles.COMPLIANCE_APPROVERS])
        cls.second_approver = UserFactory(username="abe", roles=[roles.COMPLIANCE_APPROVERS])
        cls.officer = UserFactory(username="otto", roles=[roles.CONSENT_OFFICERS])
        cls.superuser = SuperuserFactory(username="root")
