from django.test import SimpleTestCase

from search.highlight import highlight


class HighlightTests(SimpleTestCase):
    def test_marks_the_words_searched_for_and_their_stems(self):
        self.assertEqual(
            highlight("The spasms eased within two weeks.", "spasm"),
            "The <mark>spasms</mark> eased within two weeks.",
        )
        self.assertEqual(
            highlight("Spasms eased; the spasm returned.", "spasms eased"),
            "<mark>Spasms</mark> <mark>eased</mark>; the <mark>spasm</mark> returned.",
        )

    def test_escapes_the_text_and_the_query(self):
        self.assertEqual(
            highlight("<b>neck</b> & shoulders", "<script>neck"),
            "&lt;b&gt;<mark>neck</mark>&lt;/b&gt; &amp; shoulders",
        )

    def test_entities_are_never_split_by_a_mark(self):
        self.assertEqual(highlight("Tom & Jerry", "amp"), "Tom &amp; Jerry")

    def test_no_words_no_marks(self):
        self.assertEqual(highlight("a < b", "  "), "a &lt; b")
