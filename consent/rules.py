"""The one consent decision: may content resting on a consent be shown now, on this
channel, with these identifiers (DOMAIN.md, "The invariant").

Every piece is written once as a pair: an SQL condition for querysets (listings, search,
feeds, API, sitemap, home) and a Python test for one object in hand (a page being
served, a publish being checked). ``stories/tests/test_consent_rule.py`` checks that the two
forms agree on random consents and content. Nothing here relies on a verified consent
never changing: the decision reads the consent as it is at the moment it is asked.
"""

from dataclasses import dataclass
from string import Formatter

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import Expression, Func
from django.utils import timezone

from core.compiled import compiled


class Identifier(models.TextChoices):
    FULL_NAME = "full_name", "Full name"
    FIRST_NAME_INITIAL = "first_name_initial", "First name and initial"
    INITIALS = "initials", "Initials only"
    AGE = "age", "Age"
    TOWN = "town", "Town"
    PHOTO = "photo", "Photo or face"
    VOICE_VIDEO = "voice_video", "Voice or video"
    CONDITION = "condition", "Condition"
    TREATMENT = "treatment", "Treatment"


class Channel(models.TextChoices):
    WEBSITE = "website", "Website"
    SOCIAL_MEDIA = "social_media", "Social media"
    EMAIL = "email", "Email"
    PRINT = "print", "Print"
    PAID_ADVERTISING = "paid_advertising", "Paid advertising"


class Status(models.TextChoices):
    PENDING = "pending", "Pending verification"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded"


def today(at=None):
    return timezone.localdate(at or timezone.now())


def compiled_for_the_day(key, build, at=None):
    """``build(at)``, a queryset through the consent rule, compiled once (core.compiled)
    under ``key`` and the day the rule asks about, so a consent ending at midnight ends
    with the kept SQL."""
    at = at or timezone.now()
    return compiled((*key, today(at)), lambda: build(at))


# -- Status ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ending:
    """A reason a consent is not in effect: its SQL condition and its Python test."""

    status: Status
    sql: str  # on the consent's columns, each named in braces; {day}: the day asked about
    test: object  # (consent, day) -> bool


# A verified consent supersedes this one, as EXISTS: the planner estimates NOT EXISTS
# well, where a LEFT JOIN ... IS NULL on a column that is rarely null made it expect one
# row, and loop over every visible story.
SUPERSEDED = (
    "EXISTS (SELECT 1 FROM consent_consent superseding "
    "WHERE superseding.supersedes_id = {pk} AND superseding.verified_at IS NOT NULL)"
)

# In precedence order: the first that holds is the consent's status; none holding, it
# is active. A superseding consent counts once it is verified (the reverse one-to-one).
ENDINGS = (
    Ending(
        Status.WITHDRAWN,
        "{withdrawn_at} IS NOT NULL",
        lambda consent, day: consent.withdrawn_at is not None,
    ),
    Ending(
        Status.SUPERSEDED,
        SUPERSEDED,
        lambda consent, day: consent.is_superseded,
    ),
    Ending(
        Status.PENDING,
        "{verified_at} IS NULL",
        lambda consent, day: consent.verified_at is None,
    ),
    Ending(
        Status.EXPIRED,
        "{expires_on} <= {day}",
        lambda consent, day: consent.expires_on <= day,
    ),
)


class ConsentCondition(Expression):
    """A condition written in SQL on the columns of a consent (at ``prefix``), as a
    boolean for ``filter``, ``When`` or ``annotate``.

    Each column named in braces is an ``F`` resolved against the query, so it names the
    consent's table (joined once) however the query is joined or nested; ``{day}`` is
    the day as a parameter. ``prefix`` leads to one consent (a foreign key), never to
    many: negated, the condition is about that consent alone. Written as SQL text
    because, built from lookups, the rule cost ~1 ms of CPU to build and compile in
    nearly every public query. A literal ``%`` would be written ``%%``."""

    output_field = models.BooleanField()

    def __init__(self, sql, prefix="", day=None):
        super().__init__()
        self.sql, self.prefix, self.day = sql, prefix, day
        names = dict.fromkeys(field for _, field, _, _ in Formatter().parse(sql) if field)
        self.columns = {name: F(prefix + name) for name in names if name != "day"}

    def get_source_expressions(self):
        return list(self.columns.values())

    def set_source_expressions(self, exprs):
        self.columns = dict(zip(self.columns, exprs, strict=True))

    def as_sql(self, compiler, connection, **extra):
        compiled = {name: compiler.compile(column) for name, column in self.columns.items()}
        compiled["day"] = ("%s", [connection.ops.adapt_datefield_value(self.day)])
        # Each placeholder's parameters, in the order the placeholders appear.
        params = [
            param
            for _, name, _, _ in Formatter().parse(self.sql)
            if name
            for param in compiled[name][1]
        ]
        # Compiled columns and placeholders only: no user text is formatted in.
        sql = self.sql.format(**{name: sql for name, (sql, _) in compiled.items()})
        return f"({sql})", params


def superseded_exists(prefix):
    """A verified consent supersedes the one at ``prefix``."""
    return ConsentCondition(SUPERSEDED, prefix)


def status_of(consent, at=None):
    day = today(at)
    return next((e.status for e in ENDINGS if e.test(consent, day)), Status.ACTIVE)


def status_expression(prefix="", at=None):
    """Each row's status as one SQL expression, for listings and filters."""
    day = today(at)
    return Case(
        *(When(ConsentCondition(e.sql, prefix, day), then=Value(e.status.value)) for e in ENDINGS),
        default=Value(Status.ACTIVE.value),
        output_field=models.CharField(),
    )


def status_sql(status):
    """The SQL condition (on a consent's columns) for ``status``: no earlier ending holds,
    and its own does (active: none does)."""
    status = Status(status)
    conditions = []
    for ending in ENDINGS:
        if ending.status == status:
            conditions.append(f"({ending.sql})")
            break
        conditions.append(f"NOT ({ending.sql})")
    return " AND ".join(conditions)


def status_q(status, prefix="", at=None):
    """Consents (at ``prefix``) whose status is ``status`` at ``at``."""
    return Q(ConsentCondition(status_sql(status), prefix, today(at)))


def active_q(prefix="", at=None):
    return status_q(Status.ACTIVE, prefix, at)


# -- Coverage -------------------------------------------------------------------------


SQLITE_COVERS = (
    "NOT EXISTS (SELECT 1 FROM json_each({shown}) AS shown "
    "WHERE shown.value NOT IN (SELECT value FROM json_each({covering})))"
)


class JSONCovers(Func):
    """True when the JSON list ``covering`` holds every item of the JSON list ``shown``.

    PostgreSQL's ``@>``; elsewhere (SQLite, the local default) through ``json_each``.
    """

    output_field = models.BooleanField()

    def __init__(self, covering, shown):
        super().__init__(covering, shown)

    def as_sql(self, compiler, connection, **extra):
        (covering, covering_params), (shown, shown_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if connection.vendor == "postgresql":
            if isinstance(self.get_source_expressions()[1], Value):
                sql = f"({covering})::jsonb @> ({shown})::jsonb"
                return sql, (*covering_params, *shown_params)
            # Column against column: the same test as a function call, which the planner
            # takes to keep a third of the rows rather than the operator's 1%; that
            # guess made it loop over every visible story (10,000 in bench/run.py).
            sql = f"jsonb_contains(({covering})::jsonb, ({shown})::jsonb)"
            return sql, (*covering_params, *shown_params)
        # Both operands are compiled SQL with their values in params, not user text.
        sql = SQLITE_COVERS.format(shown=shown, covering=covering)
        return sql, (*shown_params, *covering_params)


def json_list(values):
    return Value(sorted(values), output_field=models.JSONField())


def covers_q(prefix="", identifiers=(), channel=Channel.WEBSITE):
    """The consent (at ``prefix``) covers ``channel`` and ``identifiers``: a list of
    values, or an expression such as ``F("identifiers_shown")`` read from each row."""
    if not hasattr(identifiers, "resolve_expression"):
        identifiers = json_list(identifiers)
    return Q(JSONCovers(F(f"{prefix}channels"), json_list([channel]))) & Q(
        JSONCovers(F(f"{prefix}identifiers"), identifiers)
    )


def may_show_q(prefix="", identifiers=(), channel=Channel.WEBSITE, at=None):
    """SQL form of the decision: the consent is active at ``at`` and covers what is shown."""
    return active_q(prefix, at) & covers_q(prefix, identifiers, channel)


def problems(consent, identifiers, channel=Channel.WEBSITE, at=None):
    """Python form of the decision, for one consent: why ``identifiers`` may not appear on
    ``channel`` at ``at``, each reason naming what is missing. Empty means it may."""
    if consent is None:
        return ["Choose the patient's consent this content rests on."]
    status = status_of(consent, at)
    if status != Status.ACTIVE:
        return [f"The patient's consent is {status.label.lower()}, not active."]
    reasons = []
    if channel not in consent.channels:
        reasons.append(f"The consent does not cover the channel: {Channel(channel).label}.")
    missing = [Identifier(i).label for i in identifiers if i not in consent.identifiers]
    if missing:
        reasons.append("The consent does not cover: " + ", ".join(missing) + ".")
    return reasons


def may_show(consent, identifiers, channel=Channel.WEBSITE, at=None):
    return not problems(consent, identifiers, channel, at)
