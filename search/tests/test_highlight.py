from django.test import SimpleTestCase, TestCase

from search.highlight import marked
from stories.models.patient_content import MARK_START, MARK_STOP


def sentinels(text):
    return text.replace("[", MARK_START).replace("]", MARK_STOP)


class MarkedTests(SimpleTestCase):
    def test_the_marked_words_become_mark_elements(self):
        self.assertEqual(
            marked(sentinels("The [spasms] eased; the [spasm] returned.")),
            "The <mark>spasms</mark> eased; the <mark>spasm</mark> returned.",
        )

    def test_escapes_the_text_inside_and_outside_the_marks(self):
        self.assertEqual(
            marked(sentinels("<b>[neck]</b> & [<i>]")),
            "&lt;b&gt;<mark>neck</mark>&lt;/b&gt; &amp; <mark>&lt;i&gt;</mark>",
        )

    def test_no_marks_is_the_escaped_text(self):
        self.assertEqual(marked("a < b"), "a &lt; b")
        self.assertEqual(marked(None), "")


class HeadlineTests(TestCase):
    """PostgreSQL's own stemming decides what is marked (``ts_headline``)."""

    def test_stems_match_and_the_whole_text_is_kept(self):
        from django.db import connection
        from django.db.models import Value

        from stories.models.patient_content import headline

        if connection.vendor != "postgresql":
            self.skipTest("ts_headline is PostgreSQL's")
        from consent.factories import PatientFactory
        from consent.models import Patient

        PatientFactory()
        text = "The spasms eased within two weeks.\nThen the spasm returned."
        row = (
            Patient.objects.annotate(snippet=headline(Value(text), "spasm"))
            .values_list("snippet", flat=True)
            .first()
        )
        self.assertEqual(
            marked(row),
            "The <mark>spasms</mark> eased within two weeks.\n"
            "Then the <mark>spasm</mark> returned.",
        )
