from django.apps import AppConfig
from django.db.models.signals import pre_save


class ModerationConfig(AppConfig):
    name = "moderation"
    default = True

    def ready(self):
        from moderation.publishing import gate_every_other_page

        # Every model: Wagtail's own Page rows and any draft-state model pass the gate.
        pre_save.connect(gate_every_other_page, dispatch_uid="moderation.gate")
