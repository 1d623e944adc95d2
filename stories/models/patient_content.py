"""What every piece of patient content shares: the consent it rests on, the public
attribution the editor enters, and the rules that decide whether it may be shown.

The private patient record (consent.Patient) is never shown; the public values (first
name, initial, age, town) are typed here by the editor and the consent decides which of
them may appear (DOMAIN.md, "What visitors are shown with a patient's words").
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from consent.models import (
    Channel,
    Identifier,
    MaterialConnection,
    active_q,
    status_expression,
)

# FTC 16 CFR 255.2: a testimonial implies typical results unless told otherwise.
EXPERIENCES_VARY = "Individual experiences vary."


class AttributionStyle(models.TextChoices):
    FULL_NAME = "full_name", "Full name (Maria Garcia)"
    FIRST_NAME_INITIAL = "first_name_initial", "First name and initial (Maria G.)"
    INITIALS = "initials", "Initials (M. G.)"
    ANONYMOUS = "anonymous", "Anonymous (a patient)"


STYLE_IDENTIFIER = {
    AttributionStyle.FULL_NAME: Identifier.FULL_NAME,
    AttributionStyle.FIRST_NAME_INITIAL: Identifier.FIRST_NAME_INITIAL,
    AttributionStyle.INITIALS: Identifier.INITIALS,
}


def consent_status_expression(at=None):
    """Each row's consent status, for the admin listings (one query for all rows)."""
    return status_expression("consent__", at=at)


def visible_q(at=None):
    """Live, and the consent is active at ``at``: the one rule every public read uses."""
    return Q(live=True) & active_q("consent__", at=at)


def search_visible(queryset, query, at=None):
    """Search results restricted to what ``queryset.visible()`` allows now, in ranking
    order: the search index is never the only guard (it may lag behind a consent)."""
    from wagtail.search.backends import get_search_backend

    ranked = [obj.pk for obj in get_search_backend().search(query, queryset.model)]
    visible = queryset.visible(at).in_bulk(ranked)
    return [visible[pk] for pk in ranked if pk in visible]


def normalise(text):
    # Line breaks and runs of spaces are layout, not words.
    return " ".join((text or "").split())


class PatientContent(models.Model):
    consent = models.ForeignKey(
        "consent.Consent",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        help_text="The patient's consent this rests on. It must be active and cover "
        "everything shown, on the website.",
    )
    attribution_style = models.CharField(
        max_length=20,
        choices=AttributionStyle.choices,
        default=AttributionStyle.ANONYMOUS,
        help_text="How the patient is named. The consent must cover the style chosen.",
    )
    first_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(
        max_length=60, blank=True, help_text="Shown in full only with the full-name style."
    )
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty to leave the age out."
    )
    town = models.CharField(max_length=80, blank=True, help_text="Leave empty to leave it out.")
    condition = models.ForeignKey(
        "articles.Condition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    treatment = models.ForeignKey(
        "articles.Treatment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    approved_text = models.TextField(
        "text approved by the patient",
        blank=True,
        help_text="The patient's words exactly as they approved them. An edit to the quoted "
        "words needs the patient's approval again (FTC 16 CFR 255.1): paste the re-approved "
        "words here only once they have approved them.",
    )
    approved_on = models.DateField("patient approved the text on", null=True, blank=True)

    class Meta:
        abstract = True

    # -- What is shown ----------------------------------------------------------------

    experiences_vary = EXPERIENCES_VARY

    def attribution_name(self):
        first, last = self.first_name.strip(), self.last_name.strip()
        if self.attribution_style == AttributionStyle.FULL_NAME:
            return f"{first} {last}".strip()
        if self.attribution_style == AttributionStyle.FIRST_NAME_INITIAL:
            return f"{first} {last[:1]}.".strip() if last else first
        if self.attribution_style == AttributionStyle.INITIALS:
            return " ".join(f"{part[:1]}." for part in (first, last) if part)
        return "a patient"

    def attribution(self):
        """E.g. "Maria G., 54, from Leeds" or "a patient from Leeds"."""
        text = self.attribution_name()
        if self.age is not None:
            text += f", {self.age}"
        if self.town:
            text += f", from {self.town}" if self.age is not None else f" from {self.town}"
        return text

    def material_connection_disclosure(self):
        """The disclosure visitors see when the patient has a material connection."""
        connection = self.consent.material_connection if self.consent_id else None
        if not connection or connection == MaterialConnection.NONE:
            return ""
        return MaterialConnection(connection).label

    def shown_identifiers(self):
        """The identifiers this content shows, derived from its fields."""
        shown = []
        if self.attribution_style in STYLE_IDENTIFIER:
            shown.append(STYLE_IDENTIFIER[self.attribution_style])
        if self.age is not None:
            shown.append(Identifier.AGE)
        if self.town:
            shown.append(Identifier.TOWN)
        if self.condition_id:
            shown.append(Identifier.CONDITION)
        if self.treatment_id:
            shown.append(Identifier.TREATMENT)
        return shown

    # -- Rules ------------------------------------------------------------------------

    def consent_problems(self, at=None):
        if not self.consent_id:
            return ["Choose the patient's consent this content rests on."]
        return self.consent.problems_for(self.shown_identifiers(), Channel.WEBSITE, at=at)

    def treatment_problems(self):
        from articles.rules import prescription_only_problems

        if not self.treatment_id:
            return []
        return prescription_only_problems([self.treatment], self.get_publishing_site())

    def get_publishing_site(self):
        return None  # the default site's rules; pages override with their own site

    def quoted_text_problems(self):
        return []

    def content_problems(self):
        """Why this may not be published: concrete models return this from
        ``publish_problems`` (ModeratedMixin comes first in their bases)."""
        return self.consent_problems() + self.quoted_text_problems() + self.treatment_problems()

    def is_visible_now(self, at=None):
        """For one object already in hand (a page being served): the full check, coverage
        included. Listings use ``visible()`` querysets instead."""
        return bool(self.live) and not self.consent_problems(at=at)

    def clean(self):
        super().clean()
        errors = {}
        style = self.attribution_style
        if style != AttributionStyle.ANONYMOUS and not self.first_name.strip():
            errors["first_name"] = "This attribution style needs the patient's first name."
        if style in STYLE_IDENTIFIER and not self.last_name.strip():
            errors["last_name"] = "This attribution style needs the patient's last name."
        if errors:
            raise ValidationError(errors)
