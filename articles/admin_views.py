"""Flags for editors: articles whose clinical review is overdue or missing."""

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView

from articles.models import TreatmentArticlePage
from core.roles import CLINICAL_REVIEWERS


def articles_needing_review():
    """Articles whose review is overdue, or that have no review dates at all."""
    return (
        TreatmentArticlePage.objects.filter(
            Q(next_review_due__lt=timezone.localdate()) | Q(next_review_due__isnull=True)
        )
        .select_related("reviewer")
        .order_by("next_review_due", "title")
    )


class OverdueReviewsReportView(PageReportView):
    page_title = "Articles due for clinical review"
    header_icon = "warning"
    index_url_name = "articles_overdue_reviews"
    index_results_url_name = "articles_overdue_reviews_results"
    results_template_name = "articles/admin/overdue_reviews_results.html"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["title", "reviewer", "last_reviewed", "next_review_due", "status_string"]
    export_headings = {"status_string": "Status", "reviewer": "Clinical reviewer"}

    def user_has_any_permission(self, permissions):
        # Clinical reviewers do the reviews this lists, without any page permission.
        return can_see_overdue_reviews(self.request.user)

    def get_queryset(self):
        return articles_needing_review()


def can_see_overdue_reviews(user):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return user.groups.filter(name=CLINICAL_REVIEWERS).exists() or (
        PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])
    )


class OverdueReviewsPanel(Component):
    """Dashboard panel: the articles an editor should send for re-review."""

    name = "articles_overdue_reviews"
    template_name = "articles/admin/overdue_reviews_panel.html"
    order = 150
    limit = 10

    def get_context_data(self, parent_context):
        articles = articles_needing_review()
        return {
            "articles": articles[: self.limit],
            "total": articles.count(),
            "today": timezone.localdate(),
        }
