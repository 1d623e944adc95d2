"""Admin for conditions, treatments and reviewers, grouped under one menu item."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from taxonomy.models import Condition, Reviewer, Treatment


class ConditionViewSet(SnippetViewSet):
    model = Condition
    icon = "folder-open-inverse"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TreatmentViewSet(SnippetViewSet):
    model = Treatment
    icon = "pick"
    list_display = ["name", "brand_names", Column("prescription_only", label="Prescription only")]
    list_filter = ["prescription_only"]
    search_fields = ["name"]


class ReviewerViewSet(SnippetViewSet):
    model = Reviewer
    icon = "user"
    list_display = ["name", "credentials", "specialty"]
    search_fields = ["name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ConditionViewSet, TreatmentViewSet, ReviewerViewSet)
    menu_label = "Articles"
    menu_icon = "doc-full"
    menu_order = 250
