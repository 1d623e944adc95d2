from django.db import models


class RateLimitCounter(models.Model):
    """One address's count of one kind of request in one fixed window
    (submissions.ratelimit): in the database, so it holds when the cache is down and
    every worker process shares it."""

    kind = models.CharField(max_length=20)
    address = models.CharField(max_length=45)  # an IPv6 address at most, or "unknown"
    period = models.BigIntegerField(help_text="Seconds since the epoch // window length.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "address", "period"], name="unique_rate_limit_counter"
            )
        ]
        indexes = [models.Index(fields=["period"])]

    def __str__(self):
        return f"{self.kind} {self.address} @{self.period}: {self.count}"
