"""Listing columns shared by the admin's viewsets."""

from wagtail.admin.ui.tables import Column

from core.dates import date_and_distance


class DateAndDistanceColumn(Column):
    """A date as a date with its distance from today, future or past (core.dates)."""

    def get_value(self, instance):
        return date_and_distance(super().get_value(instance))
