"""The "Patients & consent" admin: consent officers only (see consent.permissions).

A verified consent is read-only here: it is inspected, verified, withdrawn or superseded
through the model's own methods (``Consent.verify``/``withdraw``), never edited in place.
"""

import django_filters
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, ListingButton

from consent.forms import ConsentForm, ConsentTextForm, VerifyForm, WithdrawalForm
from consent.models import CREATED, Consent, ConsentText, Patient, Status
from core.admin_columns import DateAndDistanceColumn

# -- Consents ----------------------------------------------------------------------


class ConsentFilterSet(WagtailFilterSet):
    # Status is derived, not stored: each choice is a queryset condition (status_q).
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Status.choices,
        method="filter_status",
        empty_label="All",
        widget=django_filters.widgets.forms.RadioSelect,
    )
    expires_on = django_filters.DateFromToRangeFilter(
        label="Expires", widget=DateRangePickerWidget
    )

    class Meta:
        model = Consent
        fields = ["status", "expires_on", "method", "jurisdiction", "material_connection"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


def consent_actions(consent, user):
    """Verify / record withdrawal / supersede, as far as this user and consent allow."""
    actions = []
    if user.has_perms(["consent.change_consent", "consent.verify_consent"]) and (
        not consent.verified_at and not consent.withdrawn_at
    ):
        actions.append(("Verify", "check", reverse("consent_consents:verify", args=[consent.pk])))
    if user.has_perm("consent.change_consent") and not consent.withdrawn_at:
        actions.append(
            ("Record withdrawal", "cross", reverse("consent_consents:withdraw", args=[consent.pk]))
        )
    if (
        user.has_perm("consent.add_consent")
        and consent.verified_at
        and consent.status in (Status.ACTIVE, Status.EXPIRED)
    ):
        actions.append(
            (
                "Record a new consent that supersedes this",
                "plus",
                reverse("consent_consents:add") + f"?supersedes={consent.pk}",
            )
        )
    return actions


class ConsentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("patient")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, icon, url) in enumerate(
            consent_actions(instance, self.request.user), start=40
        ):
            if label == "Verify":
                # The officer's main task on a pending consent: a button in the row,
                # not an entry in the "more" menu.
                buttons.append(
                    ListingButton(
                        label,
                        url=url,
                        icon_name=icon,
                        priority=1,
                        attrs={"aria-label": f"Verify {instance}"},
                    )
                )
            else:
                buttons.append(MenuItem(label, url=url, icon_name=icon, priority=priority))
        return buttons


class ConsentCreateView(generic.CreateView):
    # Fields copied from the consent being superseded (?supersedes=<pk>); the officer
    # changes what differs and attaches the new signed evidence.
    carried_over = (
        "signed_by",
        "identifiers",
        "channels",
        "purpose",
        "method",
        "treatment_date",
        "material_connection",
        "jurisdiction",
    )

    def get_initial(self):
        initial = super().get_initial()
        old_pk = self.request.GET.get("supersedes", "")
        old = Consent.objects.filter(pk=old_pk).first() if old_pk.isdigit() else None
        if old is not None:
            initial.update({name: getattr(old, name) for name in self.carried_over})
            initial.update(patient=old.patient_id, supersedes=old.pk)
        return initial

    def save_instance(self):
        self.action_class(
            self.form.instance, user=self.request.user, form=self.form, log_action=CREATED
        ).execute(skip_permission_checks=True)
        return self.form.instance


class ConsentEditView(generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        consent = get_object_or_404(Consent, pk=kwargs["pk"])
        if consent.verified_at:
            messages.warning(
                request,
                "A verified consent is never edited in place. To change it, record a new "
                "consent that supersedes this one.",
                buttons=[
                    messages.button(
                        reverse("consent_consents:add") + f"?supersedes={consent.pk}",
                        "Record a new consent that supersedes this",
                    )
                ],
            )
            return redirect("consent_consents:inspect", consent.pk)
        return super().dispatch(request, *args, **kwargs)


class ConsentDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        consent = get_object_or_404(Consent, pk=kwargs["pk"])
        if consent.verified_at:
            messages.error(
                request,
                "A verified consent is kept as evidence for six years after it was last in "
                "effect, and is never deleted. Record a withdrawal instead.",
            )
            return redirect("consent_consents:inspect", consent.pk)
        return super().dispatch(request, *args, **kwargs)


class ConsentInspectView(generic.InspectView):
    def get_status_display_value(self):
        return self.object.get_status_display()

    def get_identifiers_display_value(self):
        return self.object.get_identifiers_display()

    def get_channels_display_value(self):
        return self.object.get_channels_display()

    def get_signed_form_display_value(self):
        if not self.object.signed_form:
            return "None"
        return format_html(
            '<a href="{}" download>Download the signed form</a>',
            reverse("consent:signed_form", args=[self.object.pk]),
        )

    def get_text_display_value(self):
        text = self.object.text
        return format_html(
            "{} <br>SHA-256 at signing: <code>{}</code>{}",
            text,
            self.object.text_sha256,
            "" if text.sha256 == self.object.text_sha256 else " (does not match the text now!)",
        )

    def get_linked_content_display_value(self):
        titles = self.object.linked_titles()
        if not titles:
            return "Nothing is linked to this consent."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((t,) for t in titles))
        )

    def get_taken_down_display_value(self):
        # The takedown records are kept by the app that took the content down; they reach
        # the consent through its reverse relation, so this app imports none of them.
        takedowns = self.object.takedowns.all()
        if not takedowns:
            return "Nothing."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ({}, {})</li>",
                (
                    (t.title, t.reason, f"{t.taken_down_at:%b %-d, %Y %-I:%M %p}")
                    for t in takedowns
                ),
            ),
        )

    def get_field_label(self, field_name, field):
        labels = {
            "status": "Status",
            "linked_content": "Linked content",
            "taken_down": "What was taken down",
        }
        return labels.get(field_name) or super().get_field_label(field_name, field)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.verified_at:
            # Editing a verified consent is refused: don't offer it.
            buttons = [b for b in buttons if b.label != "Edit"]
        for priority, (label, icon, url) in enumerate(
            consent_actions(self.object, self.request.user), start=30
        ):
            buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        buttons.append(
            Button(
                "History",
                url=reverse("consent_consents:history", args=[quote(self.object.pk)]),
                icon_name="history",
                priority=90,
            )
        )
        return buttons


class ConsentActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A one-step action on one consent (verify, record withdrawal) with a confirm form."""

    model = Consent
    permission_required = "change"
    template_name = "consent/admin/consent_action.html"
    header_icon = "clipboard-list"
    submit_label = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Consent.objects.select_related("patient"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("consent_consents:index"), "label": "Consents"},
            {
                "url": reverse("consent_consents:inspect", args=[self.object.pk]),
                "label": str(self.object),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            submit_label=self.submit_label,
            linked_titles=self.object.linked_titles(),
            inspect_url=reverse("consent_consents:inspect", args=[self.object.pk]),
        )
        return context

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        return redirect("consent_consents:inspect", self.object.pk)


class VerifyView(ConsentActionView):
    page_title = "Verify consent"
    form_class = VerifyForm
    submit_label = "Verify: the consent takes effect"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("consent.verify_consent"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        self.object.verify(self.request.user)
        superseded = self.object.supersedes
        message = "Consent verified; the patient has been emailed their copy."
        if superseded:
            message += f" Consent #{superseded.pk} is superseded and its content is taken down."
        messages.success(self.request, message)


class WithdrawView(ConsentActionView):
    page_title = "Record withdrawal"
    form_class = WithdrawalForm
    submit_label = "Record withdrawal and take content down"

    def perform(self, form):
        if self.object.withdraw(form.cleaned_data["channel"], user=self.request.user):
            messages.success(
                self.request,
                "Withdrawal recorded. Linked content is taken down; the patient, editors "
                "and consent officers are told.",
            )
        else:
            messages.warning(self.request, "This consent had already been withdrawn.")


class ConsentViewSet(ModelViewSet):
    model = Consent
    name = "consent_consents"
    url_prefix = "consent/consents"
    icon = "clipboard-list"
    menu_label = "Consents"
    menu_order = 200
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ConsentIndexView
    add_view_class = ConsentCreateView
    edit_view_class = ConsentEditView
    delete_view_class = ConsentDeleteView
    inspect_view_class = ConsentInspectView
    filterset_class = ConsentFilterSet
    search_fields = ["patient__legal_name", "signature_name"]
    search_backend_name = None  # the ORM: patients are never in a search index
    list_display = [
        "__str__",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda c: c.status == Status.ACTIVE,
        ),
        DateAndDistanceColumn("expires_on", label="Expires", sort_key="expires_on"),
        Column("channels", label="Channels", accessor="get_channels_display"),
        DateAndDistanceColumn("verified_at", label="Verified", sort_key="verified_at"),
    ]
    list_export = [
        "pk",
        "patient",
        "status",
        "signed_by",
        "get_identifiers_display",
        "get_channels_display",
        "purpose",
        "text",
        "text_sha256",
        "signed_at",
        "expires_on",
        "method",
        "obtained_by",
        "verified_by",
        "verified_at",
        "treatment_date",
        "material_connection",
        "jurisdiction",
        "supersedes",
        "withdrawn_at",
        "withdrawal_channel",
    ]
    export_headings = {
        "pk": "Consent",
        "get_identifiers_display": "Identifiers covered",
        "get_channels_display": "Channels covered",
        "status": "Status",
    }
    export_filename = "consents"
    inspect_view_fields = [
        "status",
        "patient",
        "signed_by",
        "identifiers",
        "channels",
        "purpose",
        "text",
        "signed_at",
        "expires_on",
        "method",
        "signature_name",
        "signature_ip",
        "signature_user_agent",
        "signed_form",
        "obtained_by",
        "copy_given_at",
        "verified_by",
        "verified_at",
        "treatment_date",
        "material_connection",
        "jurisdiction",
        "supersedes",
        "withdrawn_at",
        "withdrawal_channel",
        "withdrawal_recorded_by",
        "linked_content",
        "taken_down",
        "ended_at",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("patient"), FieldPanel("signed_by"), FieldPanel("supersedes")],
                heading="Who",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("identifiers"),
                    FieldPanel("channels"),
                    FieldPanel("purpose"),
                    FieldPanel("expires_on"),
                ],
                heading="What may be shown, where, until when",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("text"),
                    FieldPanel("signed_at"),
                    FieldPanel("method"),
                    FieldPanel("signed_form"),
                    FieldPanel("signature_name"),
                    FieldPanel("signature_ip"),
                    FieldPanel("signature_user_agent"),
                    FieldPanel("obtained_by"),
                    FieldPanel("copy_given_at"),
                ],
                heading="How it was given",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("treatment_date"),
                    FieldPanel("material_connection"),
                    FieldPanel("jurisdiction"),
                ],
                heading="Endorsement facts",
            ),
        ],
        base_form_class=ConsentForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("verify/<int:pk>/", VerifyView.as_view(), name="verify"),
            path("withdraw/<int:pk>/", WithdrawView.as_view(), name="withdraw"),
        ]


# -- Patients ----------------------------------------------------------------------


class PatientDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        patient = get_object_or_404(Patient, pk=kwargs["pk"])
        if patient.consents.exists():
            messages.error(
                request,
                "This patient has consents, which are kept as evidence; the patient record "
                "is kept with them.",
            )
            return redirect("consent_patients:index")
        return super().dispatch(request, *args, **kwargs)


class PatientInspectView(generic.InspectView):
    """Apps above add actions on a patient (erasure, in ``records``) with the
    ``register_patient_header_buttons`` hook: ``(patient, user) -> [Button, ...]``."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for hook in hooks.get_hooks("register_patient_header_buttons"):
            buttons.extend(hook(self.object, self.request.user))
        return buttons


class PatientViewSet(ModelViewSet):
    model = Patient
    name = "consent_patients"
    url_prefix = "consent/patients"
    icon = "user"
    menu_label = "Patients"
    menu_order = 100
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    delete_view_class = PatientDeleteView
    inspect_view_class = PatientInspectView
    search_fields = ["legal_name", "email", "phone", "representative_name"]
    search_backend_name = None
    list_display = ["legal_name", "email", "phone", "representative_name"]
    list_export = [
        "pk",
        "legal_name",
        "email",
        "phone",
        "representative_name",
        "representative_authority",
        "created_at",
    ]
    export_filename = "patients"
    inspect_view_fields = [
        "legal_name",
        "email",
        "phone",
        "representative_name",
        "representative_authority",
        "created_at",
        "consents",
    ]
    panels = [
        FieldPanel("legal_name"),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone")], heading="Contact"),
        MultiFieldPanel(
            [FieldPanel("representative_name"), FieldPanel("representative_authority")],
            heading="Personal representative (if someone signs for the patient)",
        ),
    ]


# -- Consent texts -----------------------------------------------------------------


class ConsentTextInUseMixin:
    refusal = ""

    def dispatch(self, request, *args, **kwargs):
        text = get_object_or_404(ConsentText, pk=kwargs["pk"])
        if text.in_use:
            messages.error(request, self.refusal)
            return redirect("consent_texts:inspect", text.pk)
        return super().dispatch(request, *args, **kwargs)


class ConsentTextEditView(ConsentTextInUseMixin, generic.EditView):
    refusal = (
        "This consent text is in use: patients agreed to these exact words, so it can never "
        "be edited. Add a new version instead."
    )


class ConsentTextDeleteView(ConsentTextInUseMixin, generic.DeleteView):
    refusal = (
        "This consent text is in use and is kept forever as evidence of what patients "
        "agreed to; it cannot be deleted."
    )


class ConsentTextViewSet(ModelViewSet):
    model = ConsentText
    name = "consent_texts"
    url_prefix = "consent/texts"
    icon = "doc-full"
    menu_label = "Consent texts"
    menu_order = 300
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_view_class = ConsentTextEditView
    delete_view_class = ConsentTextDeleteView
    list_display = ["__str__", "created_at", Column("in_use", label="In use")]
    search_fields = ["title", "body"]
    search_backend_name = None
    inspect_view_fields = [
        "version",
        "title",
        "body",
        "how_to_revoke",
        "treatment_not_conditional",
        "redisclosure_notice",
        "payment_statement",
        "sha256",
        "created_at",
    ]
    panels = [
        FieldPanel("version"),
        FieldPanel("title"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("how_to_revoke"),
                FieldPanel("treatment_not_conditional"),
                FieldPanel("redisclosure_notice"),
                FieldPanel("payment_statement"),
            ],
            heading="Required statements",
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=ConsentTextForm).bind_to_model(self.model)


class ConsentViewSetGroup(ModelViewSetGroup):
    menu_label = "Patients & consent"
    menu_icon = "clipboard-list"
    menu_order = 250
    items = (PatientViewSet, ConsentViewSet, ConsentTextViewSet)
