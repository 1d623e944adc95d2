"""The public "Share your story" form: the story, how the patient wants to be named, what
they allow to be shown and where, and their electronic signature of the consent text.

Every choice is checked against the identifiers ticked, so that the consent covers all
the story would show (DOMAIN.md: anything not ticked may not appear).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent.models import STYLE_IDENTIFIER, AttributionStyle, Channel, Identifier
from submissions.images import MAX_PHOTO_PIXELS, MAX_PHOTO_SIZE, validate_photo
from taxonomy.models import Condition, Treatment

MAX_STORY_LENGTH = 5000
MAX_NAME_LENGTH = 200
CONSENT_YEARS = 2


def _same_name(a, b):
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class ShareStoryForm(forms.Form):
    # -- About you (private: only consent officers see these) --------------------------
    legal_name = forms.CharField(
        label="Your full name",
        max_length=MAX_NAME_LENGTH,
        help_text="Kept private; only our consent officers see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send you a copy of what you sign, with a link to withdraw at any time.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    # -- Your story ---------------------------------------------------------------------
    story = forms.CharField(
        label="Your story",
        max_length=MAX_STORY_LENGTH,
        help_text=f"In your own words, up to {MAX_STORY_LENGTH:,} characters. We publish "
        "your words exactly as you wrote them, or ask you first.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    condition = forms.ModelChoiceField(
        label="Condition (optional)",
        queryset=Condition.objects.filter(live=True).order_by("name"),
        required=False,
        empty_label="Do not name a condition",
        help_text="Shown only if you tick “Condition” below.",
    )
    treatment = forms.ModelChoiceField(
        label="Treatment (optional)",
        queryset=Treatment.objects.filter(live=True).order_by("name"),
        required=False,
        empty_label="Do not name a treatment",
        help_text="Shown only if you tick “Treatment” below.",
    )
    photo = forms.FileField(
        label="A photo (optional)",
        required=False,
        help_text=f"JPEG, PNG or WebP, at most {MAX_PHOTO_SIZE // (1024 * 1024)} MB and "
        f"{MAX_PHOTO_PIXELS // 1_000_000} megapixels. Only if you tick “Photo or face” below.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    # -- How you are named ---------------------------------------------------------------
    attribution_style = forms.ChoiceField(
        label="How should we name you next to your story?",
        choices=AttributionStyle.choices,
        initial=AttributionStyle.ANONYMOUS,
        widget=forms.RadioSelect,
        help_text="We use the name you gave above. Tick the matching box under “What we "
        "may show” too.",
    )
    date_of_birth = forms.DateField(
        label="Your date of birth (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text="Kept private. Only your age is shown, and only if you tick “Age” below.",
    )
    town = forms.CharField(
        label="Your town (optional)",
        max_length=80,
        required=False,
        help_text="Shown only if you tick “Town” below.",
    )

    # -- Consent: what, where, and the signature -----------------------------------------
    identifiers = forms.MultipleChoiceField(
        label="What we may show about you",
        choices=Identifier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each thing you allow. Anything not ticked will never appear.",
    )
    channels = forms.MultipleChoiceField(
        label="Where we may publish your story",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick at least one. Your story can appear on this website only if you "
        "tick “Website”.",
        error_messages={"required": "Tick at least one place where we may publish your story."},
    )
    consent_text_version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label="I have read the consent above and I agree to it",
        error_messages={"required": "Tick the box to say you have read and agree to the consent."},
    )
    signature_name = forms.CharField(
        label="Type your full name to sign",
        max_length=MAX_NAME_LENGTH,
        help_text="Your typed name is your electronic signature. It must match the full "
        "name you gave above.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    # Bots fill every field; people never see this one (hidden by submissions.css, and
    # from screen readers and the keyboard by the attributes below).
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, consent_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        if consent_text is not None:
            self.fields["consent_text_version"].initial = consent_text.version

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def clean_story(self):
        story = self.cleaned_data["story"].strip()
        if not story:
            raise ValidationError("Write your story.", code="required")
        return story

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_photo(photo)
        return photo

    def clean_consent_text_version(self):
        version = self.cleaned_data["consent_text_version"]
        if self.consent_text is None or version != self.consent_text.version:
            raise ValidationError(
                "The consent text changed while you were reading it. Read the new version "
                "below, then tick the box and sign again.",
                code="stale_text",
            )
        return version

    def clean(self):
        data = super().clean()
        name, signature = data.get("legal_name"), data.get("signature_name")
        if name and signature and not _same_name(name, signature):
            self.add_error(
                "signature_name",
                ValidationError(
                    "Your signature must be the full name you gave above (“%(name)s”).",
                    code="signature_mismatch",
                    params={"name": name},
                ),
            )
        if "identifiers" in data:
            self._check_covered(data, set(data["identifiers"]))
        return data

    def _check_covered(self, data, ticked):
        """Each thing the story would show needs its box ticked."""
        style = data.get("attribution_style")
        if style in STYLE_IDENTIFIER and STYLE_IDENTIFIER[style] not in ticked:
            self.add_error(
                "attribution_style",
                ValidationError(
                    "You chose to be named as “%(style)s”: tick “%(identifier)s” under "
                    "“What we may show”, or choose “Anonymous”.",
                    code="not_covered",
                    params={
                        "style": AttributionStyle(style).label,
                        "identifier": STYLE_IDENTIFIER[style].label,
                    },
                ),
            )
        if style in STYLE_IDENTIFIER and len((data.get("legal_name") or "").split()) < 2:
            self.add_error(
                "attribution_style",
                "To be named this way, give your first and last name above, or choose "
                "“Anonymous”.",
            )
        for field, identifier in [
            ("date_of_birth", Identifier.AGE),
            ("town", Identifier.TOWN),
            ("condition", Identifier.CONDITION),
            ("treatment", Identifier.TREATMENT),
            ("photo", Identifier.PHOTO),
        ]:
            if data.get(field) not in (None, "") and identifier not in ticked:
                self.add_error(
                    field,
                    ValidationError(
                        "Tick “%(identifier)s” under “What we may show”, or leave this empty.",
                        code="not_covered",
                        params={"identifier": identifier.label},
                    ),
                )

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if born and not (today.replace(year=today.year - 120) < born < today):
            raise ValidationError("Give a date of birth in the past.", code="invalid")
        return born

    def public_name(self):
        """The first and last name the attribution uses, from the full name given."""
        first, *rest = self.cleaned_data["legal_name"].split()
        return first[:60], " ".join(rest)[:60]
