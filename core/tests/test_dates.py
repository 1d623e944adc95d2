import datetime

from django.test import SimpleTestCase, override_settings

from core.dates import date_and_distance, distance

TODAY = datetime.date(2026, 11, 22)


class DistanceTests(SimpleTestCase):
    def test_future_dates_are_in_the_future(self):
        cases = [
            (TODAY, "today"),
            (datetime.date(2026, 11, 23), "tomorrow"),
            (datetime.date(2026, 12, 2), "in 10 days"),
            (datetime.date(2027, 3, 1), "in 4 months"),
            (datetime.date(2028, 10, 22), "in 23 months"),
            (datetime.date(2031, 1, 1), "in 4 years"),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(distance(value, TODAY), expected)

    def test_past_dates_are_ago(self):
        self.assertEqual(distance(datetime.date(2026, 11, 21), TODAY), "yesterday")
        self.assertEqual(distance(datetime.date(2026, 11, 5), TODAY), "17 days ago")
        self.assertEqual(distance(datetime.date(2024, 1, 5), TODAY), "2 years ago")


@override_settings(TIME_ZONE="UTC", USE_TZ=True)
class DateAndDistanceTests(SimpleTestCase):
    def test_a_date_reads_as_a_date_then_its_distance(self):
        self.assertEqual(
            date_and_distance(datetime.date(2028, 10, 22), TODAY), "Oct 22, 2028, in 23 months"
        )

    def test_a_datetime_keeps_its_time(self):
        value = datetime.datetime(2026, 11, 5, 14, 2, tzinfo=datetime.UTC)
        self.assertEqual(date_and_distance(value, TODAY), "Nov 5, 2026 2:02 PM, 17 days ago")

    def test_no_date_is_empty(self):
        self.assertEqual(date_and_distance(None), "")
