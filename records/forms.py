from django import forms


class ConfirmErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked that the patient asked for erasure, and I confirm it. "
        "This cannot be undone.",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )
