from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from articles.admin_views import (
    OverdueReviewsPanel,
    OverdueReviewsReportView,
    can_see_overdue_reviews,
)


class OverdueReviewsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_overdue_reviews(request.user)


@hooks.register("register_admin_urls")
def register_overdue_reviews_report_urls():
    return [
        path(
            "reports/overdue-reviews/",
            OverdueReviewsReportView.as_view(),
            name="articles_overdue_reviews",
        ),
        path(
            "reports/overdue-reviews/results/",
            OverdueReviewsReportView.as_view(results_only=True),
            name="articles_overdue_reviews_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_overdue_reviews_report_menu_item():
    return OverdueReviewsMenuItem(
        "Overdue clinical reviews",
        reverse("articles_overdue_reviews"),
        name="overdue-reviews",
        icon_name="warning",
        order=1050,
    )


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request, panels):
    panels.append(OverdueReviewsPanel())
