from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class TakedownQuerySet(models.QuerySet):
    def recent(self, days=7):
        return self.filter(taken_down_at__gte=timezone.now() - timezone.timedelta(days=days))


class Takedown(models.Model):
    """What was taken down because a consent ended, when and by whom: the consent
    record's "what was taken down as a result, when" (DOMAIN.md)."""

    consent = models.ForeignKey(
        "consent.Consent", on_delete=models.PROTECT, related_name="takedowns"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    reason = models.CharField(max_length=20)
    taken_down_at = models.DateTimeField(default=timezone.now)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TakedownQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_down_at"]

    def __str__(self):
        return f"{self.title} ({self.reason}, {self.taken_down_at:%Y-%m-%d %H:%M})"
