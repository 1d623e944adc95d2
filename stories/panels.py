"""Read-only panels beside the fields an editor changes: the consent's status and scope,
and a diff of the patient's words against what they approved (FTC 16 CFR 255.1)."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

from stories.diff import word_diff


class ReadOnlyPanel(Panel):
    template_name = ""

    def clone_kwargs(self):
        return super().clone_kwargs()

    class BoundPanel(Panel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.template_name = self.panel.template_name


class ApprovedTextDiffPanel(ReadOnlyPanel):
    template_name = "stories/admin/approved_text_diff.html"

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Changes to the patient's words")
        super().__init__(**kwargs)

    class BoundPanel(ReadOnlyPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            obj = self.instance
            quoted = obj.quoted_text() if hasattr(obj, "quoted_text") else obj.quote
            context["diff"] = word_diff(obj.approved_text, quoted) if obj.approved_text else []
            context["problems"] = obj.quoted_text_problems()
            return context


class ConsentStatusPanel(ReadOnlyPanel):
    template_name = "stories/admin/consent_status.html"

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Consent check")
        super().__init__(**kwargs)

    class BoundPanel(ReadOnlyPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            obj = self.instance
            context["consent"] = obj.consent if obj.consent_id else None
            context["problems"] = obj.consent_problems() if obj.consent_id else []
            context["shown"] = obj.shown_identifiers()
            return context


def patient_content_panels():
    """The editor's panels shared by stories and testimonials: the patient's approval of
    their words, the consent with its live status, attribution, condition and treatment."""
    return [
        MultiFieldPanel(
            [FieldPanel("approved_text"), FieldPanel("approved_on"), ApprovedTextDiffPanel()],
            heading="Patient approval",
        ),
        MultiFieldPanel(
            [
                FieldPanel("consent"),
                ConsentStatusPanel(),
                FieldPanel("attribution_style"),
                FieldPanel("show_age"),
                FieldPanel("show_town"),
            ],
            heading="Consent and attribution",
        ),
        FieldPanel("condition"),
        FieldPanel("treatment"),
    ]
