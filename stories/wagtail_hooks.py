from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from stories.takedown import TAKEN_DOWN
from stories.viewsets import (
    LiveContentReportView,
    PatientMediaViewSet,
    PatientPhotoViewSet,
    PatientStoryListingViewSet,
    RecentTakedownsPanel,
    TestimonialViewSet,
    can_see_live_content_report,
    sees_takedowns,
)

register_snippet(TestimonialViewSet)
register_snippet(PatientPhotoViewSet)
register_snippet(PatientMediaViewSet)


@hooks.register("register_admin_viewset")
def register_story_listing():
    return PatientStoryListingViewSet("patient_stories")


@hooks.register("register_log_actions")
def register_story_log_actions(actions):
    def taken_down_message(data):
        return f"Taken down: consent #{data.get('consent')} {data.get('reason', 'ended')}"

    actions.register_action(TAKEN_DOWN, "Taken down (consent ended)", taken_down_message)


@hooks.register("register_admin_urls")
def register_report_urls():
    view = LiveContentReportView
    return [
        path("reports/live-patient-content/", view.as_view(), name=view.index_url_name),
        path(
            "reports/live-patient-content/results/",
            view.as_view(results_only=True),
            name=view.index_results_url_name,
        ),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_live_content_report(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        "Live patient content",
        reverse(LiveContentReportView.index_url_name),
        icon_name="openquote",
        order=900,
    )


@hooks.register("construct_homepage_panels")
def add_takedowns_panel(request, panels):
    if sees_takedowns(request.user):
        panels.append(RecentTakedownsPanel(request.user))
