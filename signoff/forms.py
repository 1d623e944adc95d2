from django import forms

MAX_MESSAGE = 2000


class ApproveForm(forms.Form):
    # The hash of the content the page showed: an approval applies to exactly that.
    content_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="I have read all of it, and I agree to its being published exactly as shown.",
        required=True,
    )


class ChangesForm(forms.Form):
    message = forms.CharField(
        label="What should we change?",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Your message goes to the team writing it; nothing is published until "
        "you approve a new version.",
    )

    def clean_message(self):
        message = " ".join(self.cleaned_data["message"].split(" ")).strip()
        if not message:
            raise forms.ValidationError("Tell us what to change.")
        return message
