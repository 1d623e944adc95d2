"""What every piece of patient content shares: the consent it rests on, the public
attribution, and the rules that decide whether it may be shown.

Who the patient is comes from their private record (consent.Patient), reached through
the consent: the editor picks how they are named among the styles the consent allows
and whether their age and town appear, but never types a name (DOMAIN.md, "What visitors
are shown with a patient's words").
"""

from functools import cache

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Case, F, Q, When

from consent import rules
from consent.models import STYLE_IDENTIFIER, AttributionStyle, MaterialConnection
from consent.rules import Channel, Identifier

# FTC 16 CFR 255.2: a testimonial implies typical results unless told otherwise.
EXPERIENCES_VARY = "Individual experiences vary."

# What visitors see of a patient's content besides its own text (``attribution()``,
# ``material_connection_disclosure()``, the consent rule's inputs): public lists load
# these columns and no other of the consent or the patient, so a public page never
# holds a legal name or contact data, and its query stays small (of the condition and
# the treatment, only the names cards and captions show).
SHOWN_FIELDS = (
    "attribution_style",
    "show_age",
    "show_town",
    "identifiers_shown",
    "condition__name",
    "treatment__name",
    "consent__material_connection",
    "consent__patient__first_name",
    "consent__patient__last_name",
    "consent__patient__date_of_birth",
    "consent__patient__town",
)
# What a page that names a prescription medicine shows of it besides its name: its
# safety information (stories/includes/safety_information.html).
SAFETY_FIELDS = (
    "treatment__slug",
    "treatment__prescription_only",
    "treatment__safety_information",
)


def consent_status_expression(at=None):
    """Each row's consent status, for the admin listings (one query for all rows)."""
    return rules.status_expression("consent__", at=at)


def visible_q(at=None, channel=Channel.WEBSITE):
    """Live, and the consent allows everything the item shows on ``channel`` at ``at``:
    the SQL form of ``PatientContent.may_show``, which every public read uses."""
    return Q(live=True, identifiers_shown__isnull=False) & rules.may_show_q(
        "consent__", F("identifiers_shown"), channel, at
    )


def search_words(query):
    """The visitor's words as a ``tsquery``, parsed once per SQL query.

    ``websearch_to_tsquery(text)`` reads the default text search configuration, so
    PostgreSQL may not fold it into a constant: written inline it is parsed again for
    every row it is tested against or ranks (four times per index entry, 40 ms of a
    search at 10,000 stories). As a scalar subquery it is an InitPlan, run once, with the
    same configuration as the stored vectors (Wagtail's, the database default)."""
    return parsed_once()(query, search_type="websearch")


@cache
def parsed_once():
    # Imported here: django.contrib.postgres is for PostgreSQL only (SQLite runs locally).
    from django.contrib.postgres.search import SearchQuery

    class ParsedOnce(SearchQuery):
        def as_sql(self, compiler, connection, **extra):
            sql, params = super().as_sql(compiler, connection, **extra)
            return f"(SELECT {sql})", params

    return ParsedOnce


def search_visible(queryset, query, at=None):
    """Search results restricted to what ``queryset.visible()`` allows now, best first,
    as a queryset: the ranking, the consent rule and any slicing run in one SQL query over
    the search index's stored vectors (the index is never the only guard: it may lag
    behind a consent). Each row has ``search_rank``."""
    from django.contrib.postgres.search import SearchRank
    from django.db import connection

    if connection.vendor != "postgresql":  # SQLite, the quick local default
        from wagtail.search.backends import get_search_backend

        ranked = [obj.pk for obj in get_search_backend().search(query, queryset.model)]
        order = Case(*(When(pk=pk, then=n) for n, pk in enumerate(ranked)), default=None)
        return queryset.visible(at).filter(pk__in=ranked).annotate(search_rank=-order)
    words = search_words(query)
    return (
        queryset.visible(at)
        .filter(Q(index_entries__title=words) | Q(index_entries__body=words))
        .annotate(
            search_rank=SearchRank(F("index_entries__title"), words, weights=[0.1, 0.2, 0.4, 1])
            + SearchRank(F("index_entries__body"), words)
        )
        .order_by("-search_rank", "-pk")
    )


def headline(field, query, **options):
    """PostgreSQL's own snippet of ``field`` around the query's words (``ts_headline``),
    the words wrapped in sentinels that ``search.highlight.marked`` turns into <mark>."""
    from django.contrib.postgres.search import SearchHeadline

    return SearchHeadline(
        field,
        search_words(query),
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        highlight_all=True,
        **options,
    )


# Private-use characters: never in stored text, so they can only be ts_headline's marks.
MARK_START, MARK_STOP = "\ue000", "\ue001"


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
        help_text="How the patient is named, from their record. The consent must allow it.",
    )
    show_age = models.BooleanField(
        "show the patient's age",
        default=False,
        help_text="From their date of birth on record. The consent must cover age.",
    )
    show_town = models.BooleanField(
        "show the patient's town",
        default=False,
        help_text="From their record. The consent must cover town.",
    )
    condition = models.ForeignKey(
        "taxonomy.Condition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    treatment = models.ForeignKey(
        "taxonomy.Treatment",
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
    # What ``shown_identifiers()`` returns, kept on every save so that listings can ask
    # the consent rule in SQL; a page being served asks it of the fields themselves.
    # Empty (NULL) until then, which shows nothing: a row written around save() fails safe.
    identifiers_shown = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    # -- What is shown ----------------------------------------------------------------

    experiences_vary = EXPERIENCES_VARY

    @property
    def patient(self):
        try:
            return self.consent.patient
        except ObjectDoesNotExist:
            return None

    def attribution(self):
        """E.g. "Maria G., 54, from Springfield" or "a patient from Springfield"."""
        if self.patient is None:
            return "a patient"
        return self.patient.attribution(self.attribution_style, self.show_age, self.show_town)

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
        if self.show_age:
            shown.append(Identifier.AGE)
        if self.show_town:
            shown.append(Identifier.TOWN)
        if self.condition_id:
            shown.append(Identifier.CONDITION)
        if self.treatment_id:
            shown.append(Identifier.TREATMENT)
        return shown

    # -- Rules ------------------------------------------------------------------------

    def consent_problems(self, at=None, channel=Channel.WEBSITE):
        consent = self.consent if self.consent_id else None
        return rules.problems(consent, self.shown_identifiers(), channel, at)

    def treatment_problems(self):
        from taxonomy.rules import prescription_only_problems, unpublished_problems

        named = [self.condition if self.condition_id else None]
        if not self.treatment_id:
            return unpublished_problems(named)
        return unpublished_problems([*named, self.treatment]) + prescription_only_problems(
            [self.treatment], self.get_publishing_site()
        )

    def get_publishing_site(self):
        return None  # the default site's rules; pages override with their own site

    def quoted_text_problems(self):
        return []

    def photo_problems(self):
        patient_id = self.consent.patient_id if self.consent_id else None
        if any(photo.patient_id != patient_id for photo in self.photos()):
            return ["A photo here shows someone other than the patient whose consent this is."]
        return []

    def media_problems(self):
        """A video or recording of someone else, or one without its captions or
        transcript (WCAG 1.2.1, 1.2.2)."""
        patient_id = self.consent.patient_id if self.consent_id else None
        media = self.media()
        reasons = [problem for item in media for problem in item.problems()]
        if any(item.patient_id != patient_id for item in media):
            reasons.insert(
                0,
                "A video or recording here is of someone other than the patient whose "
                "consent this is.",
            )
        return reasons

    def content_problems(self):
        """Why this may not be published: concrete models return this from
        ``publish_problems`` (ModeratedMixin comes first in their bases)."""
        return (
            self.consent_problems()
            + self.photo_problems()
            + self.media_problems()
            + self.quoted_text_problems()
            + self.treatment_problems()
        )

    def may_show(self, at=None, channel=Channel.WEBSITE):
        """For one object already in hand (a page being served): live, and the consent
        allows everything it shows. Querysets ask the same in SQL (``visible_q``)."""
        return bool(self.live) and not self.consent_problems(at=at, channel=channel)

    def may_show_on_social_media(self):
        """A social preview (Open Graph) may name and picture the patient."""
        return self.may_show(channel=Channel.SOCIAL_MEDIA)

    def save(self, *args, **kwargs):
        self.identifiers_shown = sorted(set(self.shown_identifiers()))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "identifiers_shown"}
        super().save(*args, **kwargs)

    def photos(self):
        """The patient photos this content shows (``PatientPhoto`` objects)."""
        return []

    def media(self):
        """The patient videos and recordings this content shows (``PatientMedia``)."""
        return []

    def media_identifiers(self, shown):
        """``shown`` with what the embedded media reveal: the voice or video, and the
        face when it is seen (each media item says which)."""
        extra = [i for item in self.media() for i in item.identifiers()]
        return [*shown, *(i for i in dict.fromkeys(extra) if i not in shown)]

    def clean(self):
        super().clean()
        errors = {}
        if self.consent_id:
            patient = self.consent.patient
            if self.pk is not None:
                stored = type(self)._default_manager.filter(pk=self.pk)
                before = stored.values_list("consent__patient_id", flat=True).first()
                if before is not None and before != patient.pk:
                    errors["consent"] = (
                        "This content is about another patient: it can move only to a "
                        "consent of the same patient."
                    )
            allowed = self.consent.allowed_styles()
            if self.attribution_style not in allowed:
                labels = ", ".join(AttributionStyle(s).label for s in allowed)
                errors["attribution_style"] = f"The consent allows only: {labels}."
            if self.show_age and patient.date_of_birth is None:
                errors["show_age"] = "The patient's record has no date of birth."
            if self.show_town and not patient.town:
                errors["show_town"] = "The patient's record has no town."
            if any(photo.patient_id != patient.pk for photo in self.photos()):
                errors["consent"] = "A photo here shows someone other than this patient."
            if any(item.patient_id != patient.pk for item in self.media()):
                errors["consent"] = (
                    "A video or recording here is of someone other than this patient."
                )
        if errors:
            raise ValidationError(errors)
