from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

from consent.models import Channel, Consent, ConsentText, Identifier


class ConsentForm(WagtailAdminModelForm):
    """Each identifier and channel is its own checkbox: anything not ticked may not appear."""

    identifiers = forms.MultipleChoiceField(
        choices=Identifier.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What may be shown",
        help_text="Tick each identifier the patient agreed to, one by one. Anything not "
        "ticked may not appear with their story.",
    )
    channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Where it may be shown",
        error_messages={"required": "Tick at least one channel the patient agrees to."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "signed_form" in self.fields:
            # Not ClearableFileInput: it links to the file's URL, and private files have none.
            self.fields["signed_form"].widget = forms.FileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png"}
            )
            if self.instance.signed_form:
                self.fields["signed_form"].help_text = (
                    "A signed form is attached (download it from the consent's Inspect page). "
                    "Upload a file only to replace it."
                )
        if "text" in self.fields and not self.instance.pk:
            self.fields["text"].initial = ConsentText.current()
        if "obtained_by" in self.fields and not self.instance.pk and self.for_user:
            self.fields["obtained_by"].initial = self.for_user.pk
        if "supersedes" in self.fields:
            # Only a consent still in force, or pending, can be superseded.
            still_open = Q(withdrawn_at__isnull=True, superseded_by__isnull=True)
            self.fields["supersedes"].queryset = Consent.objects.filter(
                still_open | Q(pk=self.instance.supersedes_id)
            ).select_related("patient")

    def clean(self):
        cleaned = super().clean()
        if self.instance.verified_at:
            raise ValidationError(
                "This consent is verified and is never edited in place. Record a new "
                "consent that supersedes it."
            )
        return cleaned


class ConsentTextForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "version" in self.fields:
            current = ConsentText.current()
            self.fields["version"].initial = current.version + 1 if current else 1

    def clean(self):
        cleaned = super().clean()
        if self.instance.in_use:
            raise ValidationError(
                "This consent text is in use by a consent and is kept forever as the exact "
                "words patients agreed to. Add a new version instead."
            )
        return cleaned


class WithdrawalForm(forms.Form):
    channel = forms.ChoiceField(
        label="How did the patient withdraw?",
        choices=[
            (value, label)
            for value, label in Consent.WithdrawalChannel.choices
            if value != Consent.WithdrawalChannel.PATIENT_LINK
        ],
        widget=forms.RadioSelect,
    )


class VerifyForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the signed evidence against this record",
        error_messages={"required": "Confirm that you checked the signed evidence."},
    )
