"""Patients and their consent (authorizations): the record behind every patient story.

DOMAIN.md lists the fields (HIPAA 45 CFR 164.508(c), GDPR Art. 7 and 9). Status is
derived, never typed; a verified consent is never edited in place, a change is a new
consent that supersedes it.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.log_actions import log

from consent import rules
from consent.rules import Channel, Identifier, Status
from consent.signals import consent_ended
from consent.validators import validate_signed_form
from core.models import Jurisdiction

logger = logging.getLogger(__name__)

# Audit log actions (registered in wagtail_hooks, shown in the admin and site history).
CREATED = "consent.created"
VERIFIED = "consent.verified"
SUPERSEDED = "consent.superseded"
WITHDRAWN = "consent.withdrawn"
EXPIRED = "consent.expired"
CONTENT_TAKEN_DOWN = "consent.content_taken_down"  # no longer written; older entries show
FORM_DOWNLOADED = "consent.form_downloaded"
REMINDER_SENT = "consent.reminder_sent"


class PrivateStorage(FileSystemStorage):
    """Outside MEDIA_ROOT, and with no URL at all (a plain FileSystemStorage would fall
    back to MEDIA_URL): the only way to a file is the permission-checked download view."""

    def url(self, name):
        raise ValueError(
            "Private files have no URL; link to the consent:signed_form view instead."
        )


def private_storage():
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class AttributionStyle(models.TextChoices):
    FULL_NAME = "full_name", "Full name (Maria Garcia)"
    FIRST_NAME_INITIAL = "first_name_initial", "First name and initial (Maria G.)"
    INITIALS = "initials", "Initials (M. G.)"
    ANONYMOUS = "anonymous", "Anonymous (a patient)"


# The identifier a consent must tick for each style that names the patient.
STYLE_IDENTIFIER = {
    AttributionStyle.FULL_NAME: Identifier.FULL_NAME,
    AttributionStyle.FIRST_NAME_INITIAL: Identifier.FIRST_NAME_INITIAL,
    AttributionStyle.INITIALS: Identifier.INITIALS,
}


class Patient(models.Model):
    """Private identity. Visible only to consent officers; never public, never indexed.

    Content never carries its own copy of who the patient is: the public attribution
    ("Maria G., 54, from Springfield") is derived from this record, in the style the
    editor picks among those the consent allows.
    """

    legal_name = models.CharField(max_length=200, help_text="As on the signed consent.")
    first_name = models.CharField(
        max_length=60, help_text="The name the patient goes by; used in attributions."
    )
    last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="For the age an attribution may show."
    )
    town = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    representative_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="A personal representative who signs for the patient.",
    )
    representative_authority = models.CharField(
        max_length=200,
        blank=True,
        help_text="The representative's authority, e.g. parent of a minor, power of attorney.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        permissions = [("view_patient_contact", "Can see patient contact data and signed forms")]

    def __str__(self):
        return self.legal_name

    def public_label(self):
        """How staff who may not see the legal name tell patients apart."""
        consent = self.consents.order_by("-signed_at").first()
        shown = consent.widest_attribution() if consent else "no consent recorded"
        return f"Patient #{self.pk}: {shown}"

    def age(self, at=None):
        if self.date_of_birth is None:
            return None
        today = rules.today(at)
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def public_name(self, style):
        first, last = self.first_name.strip(), self.last_name.strip()
        if style == AttributionStyle.FULL_NAME:
            return f"{first} {last}".strip()
        if style == AttributionStyle.FIRST_NAME_INITIAL:
            return f"{first} {last[:1]}.".strip() if last else first
        if style == AttributionStyle.INITIALS:
            return " ".join(f"{part[:1]}." for part in (first, last) if part)
        return "a patient"

    def attribution(self, style, show_age=False, show_town=False, at=None):
        """E.g. "Maria G., 54, from Springfield" or "a patient from Springfield"."""
        text = self.public_name(style)
        age = self.age(at) if show_age else None
        if age is not None:
            text += f", {age}"
        if show_town and self.town:
            text += f", from {self.town}" if age is not None else f" from {self.town}"
        return text

    def clean(self):
        if not (self.email or self.phone):
            raise ValidationError("Give an email address or a phone number for the patient.")
        if bool(self.representative_name) != bool(self.representative_authority):
            raise ValidationError(
                {
                    "representative_authority": "A representative needs their authority, and "
                    "an authority needs the representative's name."
                }
            )


class ConsentText(models.Model):
    """The exact words a patient agrees to. Kept forever once used; never edited then."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="What the patient authorises, in plain language.")
    how_to_revoke = models.TextField(
        help_text="How to withdraw consent at any time (one click, or in writing)."
    )
    treatment_not_conditional = models.TextField(
        help_text="That treatment, payment and eligibility do not depend on signing."
    )
    redisclosure_notice = models.TextField(
        help_text="That published information may be re-disclosed by others and is then "
        "no longer protected."
    )
    payment_statement = models.TextField(
        help_text="Any payment the organisation receives for the marketing, or that there is none."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"v{self.version}: {self.title}"

    @property
    def full_text(self):
        return "\n\n".join(
            [
                self.title,
                self.body,
                self.how_to_revoke,
                self.treatment_not_conditional,
                self.redisclosure_notice,
                self.payment_statement,
            ]
        )

    @property
    def sha256(self):
        return hashlib.sha256(self.full_text.encode()).hexdigest()

    @property
    def in_use(self):
        return self.pk is not None and self.consents.exists()

    def save(self, *args, **kwargs):
        if self.in_use:
            raise ValidationError("This consent text is in use: add a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.in_use:
            raise ValidationError("This consent text is in use and is kept as evidence.")
        return super().delete(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.order_by("-version").first()


class MaterialConnection(models.TextChoices):
    NONE = "none", "None"
    FREE_CARE = "free_care", "Received treatment at no cost"
    DISCOUNTED_CARE = "discounted_care", "Received discounted treatment"
    EMPLOYEE = "employee", "Works for the clinic"
    RELATIVE = "relative", "Relative of a member of staff"
    PAID = "paid", "Was paid for their story"


class ConsentQuerySet(models.QuerySet):
    def active(self, at=None):
        """Consents in effect at ``at`` (now by default)."""
        return self.filter(rules.active_q(at=at))

    def with_status(self, status, at=None):
        """Consents whose derived status is ``status`` at ``at``: the admin filter."""
        return self.filter(rules.status_q(status, at=at))

    def needing_end(self, at=None):
        """Consents that have ended (withdrawn, superseded, expired) but whose end has not
        been processed yet: ``consent_ended`` has not gone out for them."""
        return self.filter(ended_at__isnull=True).exclude(
            rules.status_q(Status.ACTIVE, at=at) | rules.status_q(Status.PENDING, at=at)
        )


def _require_perms(user, *perms):
    if user is None or not user.has_perms(perms):
        raise PermissionDenied("Only a consent officer may do this.")


class Consent(models.Model):
    class Method(models.TextChoices):
        PAPER = "paper", "Signed paper form"
        ELECTRONIC = "electronic", "Electronic signature"

    class SignedBy(models.TextChoices):
        PATIENT = "patient", "The patient"
        REPRESENTATIVE = "representative", "A personal representative"

    class WithdrawalChannel(models.TextChoices):
        PATIENT_LINK = "patient_link", "Patient's one-click link"
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        LETTER = "letter", "Letter"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    signed_by = models.CharField(max_length=20, choices=SignedBy.choices, default=SignedBy.PATIENT)

    # What may be shown, and where: anything not ticked may not appear.
    identifiers = models.JSONField(
        default=list, blank=True, help_text="Identifiers covered; each ticked on its own."
    )
    channels = models.JSONField(default=list, blank=True, help_text="Channels covered.")
    purpose = models.CharField(
        max_length=300, default="Publication of the patient's testimonial or story for marketing."
    )

    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    text_sha256 = models.CharField(max_length=64, editable=False)

    signed_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(help_text="Required: there is no open-ended consent.")
    method = models.CharField(max_length=20, choices=Method.choices)
    signature_name = models.CharField(max_length=200, blank=True)
    signature_ip = models.GenericIPAddressField(null=True, blank=True)
    signature_user_agent = models.CharField(max_length=500, blank=True)
    signed_form = models.FileField(
        storage=private_storage,
        upload_to="signed-forms/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]), validate_signed_form],
        help_text="A scan of the signed paper form: PDF, JPEG or PNG, at most 10 MB. "
        "Kept privately; only consent officers can download it.",
    )
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    copy_given_at = models.DateTimeField(null=True, blank=True)

    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    # Endorsement facts (FTC 16 CFR 255 and 465).
    treatment_date = models.DateField(null=True, blank=True)
    material_connection = models.CharField(
        max_length=20, choices=MaterialConnection.choices, default=MaterialConnection.NONE
    )
    jurisdiction = models.CharField(
        max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.US
    )

    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_channel = models.CharField(
        max_length=20, choices=WithdrawalChannel.choices, blank=True
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Bookkeeping: when the end of this consent was processed (``consent_ended`` sent,
    # exactly once) and the expiry reminders sent. What was taken down as a result is
    # recorded by the receivers (``stories.Takedown``, reached as ``consent.takedowns``).
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_reason = models.CharField(max_length=20, blank=True, editable=False)
    reminded_30_days_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_7_days_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        permissions = [("verify_consent", "Can verify a consent (check the signed evidence)")]
        indexes = [
            # What the consent rule reads of a consent that may be in effect
            # (consent.rules.active_q): verified, not withdrawn, by expiry day.
            models.Index(
                fields=["expires_on"],
                name="consent_in_effect",
                condition=Q(withdrawn_at__isnull=True, verified_at__isnull=False),
            ),
            # The rule's "superseded" test (consent.rules.superseded_exists): the few
            # verified consents that supersede another, so listings check every story's
            # consent against a tiny index rather than hashing the whole table.
            models.Index(
                fields=["supersedes"],
                name="consent_superseding",
                condition=Q(verified_at__isnull=False, supersedes__isnull=False),
            ),
        ]

    def __str__(self):
        # Editors pick consents for content: they see how the consent lets the patient
        # be named in public, never the legal name or contact data.
        return (
            f"Consent #{self.pk}: {self.widest_attribution()} "
            f"({self.get_status_display()}, until {self.expires_on:%b %-d, %Y})"
        )

    def allowed_styles(self):
        """The attribution styles this consent allows, most identifying first."""
        return [
            style
            for style in AttributionStyle
            if style not in STYLE_IDENTIFIER or STYLE_IDENTIFIER[style] in self.identifiers
        ]

    def widest_attribution(self):
        """The most the consent lets visitors read about who the patient is."""
        if not self.patient_id:
            return "no patient"
        return self.patient.attribution(
            self.allowed_styles()[0],
            show_age=Identifier.AGE in self.identifiers,
            show_town=Identifier.TOWN in self.identifiers,
        )

    # -- Derived status -------------------------------------------------------------

    def status_at(self, at=None):
        return rules.status_of(self, at)

    @property
    def status(self):
        return self.status_at()

    def get_status_display(self):
        return Status(self.status).label

    def get_identifiers_display(self):
        return ", ".join(Identifier(i).label for i in self.identifiers) or "None"

    get_identifiers_display.short_description = "Identifiers covered"

    def get_channels_display(self):
        return ", ".join(Channel(c).label for c in self.channels) or "None"

    get_channels_display.short_description = "Channels covered"

    @cached_property
    def is_superseded(self):
        if self.pk is None:
            return False
        return Consent.objects.filter(supersedes=self, verified_at__isnull=False).exists()

    def with_successors(self):
        """This consent and each consent that superseded it in turn, oldest first."""
        chain = [self]
        while True:
            successor = Consent.objects.filter(supersedes=chain[-1]).first()
            if successor is None or successor in chain:
                return chain
            chain.append(successor)

    def is_active(self, at=None):
        return self.status_at(at) == Status.ACTIVE

    def problems_for(self, identifiers, channel=Channel.WEBSITE, at=None):
        """Why this consent does not let ``identifiers`` appear on ``channel`` at ``at``."""
        return rules.problems(self, identifiers, channel, at)

    # -- Integrity ------------------------------------------------------------------

    # A verified consent may still record its withdrawal and the copy given to the patient.
    # So may the bookkeeping of its end, takedown and reminders.
    MUTABLE_AFTER_VERIFICATION = frozenset(
        {
            "withdrawn_at",
            "withdrawal_channel",
            "withdrawal_recorded_by",
            "copy_given_at",
            "ended_at",
            "ended_reason",
            "reminded_30_days_at",
            "reminded_7_days_at",
        }
    )

    def clean(self):
        errors = {}
        signed_on = timezone.localdate(self.signed_at) if self.signed_at else None
        if self.expires_on and signed_on and self.expires_on <= signed_on:
            errors["expires_on"] = "The expiry date must be after the date of signing."
        unknown = set(self.identifiers) - set(Identifier.values)
        if unknown:
            errors["identifiers"] = "Unknown identifiers: " + ", ".join(sorted(unknown))
        if not self.channels:
            errors["channels"] = "Tick at least one channel the patient agrees to."
        elif set(self.channels) - set(Channel.values):
            errors["channels"] = "Unknown channels."
        if self.method == self.Method.ELECTRONIC and not self.signature_name:
            errors["signature_name"] = "An electronic signature needs the typed name."
        if self.method == self.Method.PAPER and not self.signed_form:
            errors["signed_form"] = "Attach the scan of the signed paper form."
        if self.verified_by_id and self.verified_by_id == self.obtained_by_id:
            errors["verified_by"] = (
                "The consent must be verified by someone other than the person who obtained it."
            )
        if (
            self.signed_by == self.SignedBy.REPRESENTATIVE
            and self.patient_id
            and not (self.patient.representative_name)
        ):
            errors["signed_by"] = "Record the representative and their authority on the patient."
        if self.supersedes_id and self.supersedes.patient_id != self.patient_id:
            errors["supersedes"] = "A consent can only supersede one of the same patient."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Consent.objects.filter(pk=self.pk).first()
            if stored and stored.verified_at:
                changed = [
                    f.name
                    for f in self._meta.concrete_fields
                    if f.name not in self.MUTABLE_AFTER_VERIFICATION
                    and getattr(stored, f.attname) != getattr(self, f.attname)
                ]
                if changed:
                    raise ValidationError(
                        "A verified consent is never edited in place "
                        f"(changed: {', '.join(changed)}). Record a new consent that "
                        "supersedes it."
                    )
        if self.text_id and not self.text_sha256:
            self.text_sha256 = self.text.sha256
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Evidence is kept for six years after it was last in effect (HIPAA 164.530(j)).
        if self.verified_at:
            raise ValidationError("A verified consent is kept as evidence and is never deleted.")
        return super().delete(*args, **kwargs)

    # -- Linked content -------------------------------------------------------------

    def linked_content(self):
        """Everything that names this consent (stories, testimonials...), found through
        the reverse relations of ``Consent`` so that this app imports none of them."""
        items = []
        for rel in self._meta.related_objects:
            if rel.related_model is Consent or not rel.one_to_many:
                continue
            # Only publishable content (pages, draft-state snippets), not records about
            # the consent such as takedown logs.
            if not any(f.name == "live" for f in rel.related_model._meta.get_fields()):
                continue
            items.extend(getattr(self, rel.get_accessor_name()).all())
        return items

    def linked_titles(self):
        return sorted(_item_name(item) for item in self.linked_content())

    # -- Events: every path that verifies or ends a consent goes through these -------

    def end_reason(self, at=None):
        """Why this consent is no longer in effect, or None while it is (or is pending)."""
        status = self.status_at(at)
        if status in (Status.WITHDRAWN, Status.SUPERSEDED, Status.EXPIRED):
            return str(status)
        return None

    def verify(self, user, at=None):
        """A consent officer checked the evidence: the consent takes effect.

        Supersedes the consent it replaces (ending that one) and emails the patient a
        receipt with the exact text, the scope, the expiry and a one-click withdrawal link.
        """
        from consent import notifications

        _require_perms(user, "consent.change_consent", "consent.verify_consent")
        at = at or timezone.now()
        with transaction.atomic():
            consent = Consent.objects.select_for_update().get(pk=self.pk)
            if consent.verified_at:
                raise ValidationError("This consent has already been verified.")
            if consent.withdrawn_at:
                raise ValidationError("This consent was withdrawn; it can no longer be verified.")
            if consent.expires_on <= timezone.localdate(at):
                raise ValidationError(
                    {"expires_on": "This consent has already expired; record a new one."}
                )
            if consent.obtained_by_id and consent.obtained_by_id == user.pk:
                raise ValidationError(
                    {
                        "verified_by": "You obtained this consent, so someone else must verify "
                        "it (four eyes)."
                    }
                )
            consent.verified_by = user
            consent.verified_at = at
            # One copy per consent: a patient who signed on the website was sent theirs
            # then. The receipt below is the copy otherwise, recorded once it is sent
            # (consent.copies).
            signed_online = (
                consent.obtained_by_id is None and consent.method == self.Method.ELECTRONIC
            )
            send_copy = bool(consent.patient.email) and not consent.copy_given_at
            send_copy = send_copy and not signed_online
            consent.full_clean()
            consent.save()
            log(instance=consent, action=VERIFIED, user=user)
            old = consent.supersedes
            if old is not None:
                log(instance=old, action=SUPERSEDED, user=user, data={"by": consent.pk})
            if send_copy:
                notifications.send_receipt(consent)
        self.refresh_from_db()
        self.__dict__.pop("is_superseded", None)
        if old is not None:
            old.__dict__.pop("is_superseded", None)
            old.process_end(user=user)
        return self

    verify.alters_data = True

    def withdraw(self, channel, user=None, at=None):
        """Record the patient's withdrawal, in one step, whatever the consent's status.

        Idempotent: a consent already withdrawn stays as it was (returns False). Content is
        taken down by the receivers of ``consent_ended``; the patient and the consent
        officers are told. Emails go out after commit, so a mail failure never loses it.
        """
        from consent import notifications

        channel = self.WithdrawalChannel(channel)
        if channel != self.WithdrawalChannel.PATIENT_LINK:
            _require_perms(user, "consent.change_consent")
        at = at or timezone.now()
        with transaction.atomic():
            consent = Consent.objects.select_for_update().get(pk=self.pk)
            if consent.withdrawn_at:
                return False
            consent.withdrawn_at = at
            consent.withdrawal_channel = channel
            consent.withdrawal_recorded_by = user
            consent.save()
            log(instance=consent, action=WITHDRAWN, user=user, data={"channel": str(channel)})
            notifications.withdrawal_recorded(consent)
        self.refresh_from_db()
        self.process_end(user=user)
        return True

    withdraw.alters_data = True

    def process_end(self, user=None, at=None):
        """Send ``consent_ended`` for this consent, exactly once, if it has ended.

        Claimed with a conditional UPDATE so concurrent callers cannot both send. If a
        receiver fails, the claim rolls back with it and ``enforce_consent`` retries a
        minute later: the withdrawal itself is already recorded and never lost.
        """
        from consent import notifications

        reason = self.end_reason(at)
        if reason is None:
            return False
        now = timezone.now()
        try:
            with transaction.atomic():
                claimed = Consent.objects.filter(pk=self.pk, ended_at__isnull=True).update(
                    ended_at=now, ended_reason=reason
                )
                if not claimed:
                    return False
                if reason == Status.EXPIRED:
                    log(instance=self, action=EXPIRED, user=user)
                    notifications.consent_expired(self)
                consent_ended.send(sender=Consent, consent=self, reason=reason, user=user)
        except Exception:
            logger.exception("Taking down content for consent %s failed; will retry", self.pk)
            return False
        self.ended_at, self.ended_reason = now, reason
        return True

    process_end.alters_data = True


def _item_name(item):
    title = getattr(item, "title", None)
    if isinstance(item, str) or not isinstance(title, str) or not title:
        return str(item)
    return title
