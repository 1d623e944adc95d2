from django.test import SimpleTestCase

from stories.diff import DELETED, EQUAL, INSERTED, word_diff


class WordDiffTests(SimpleTestCase):
    def test_line_breaks_and_spacing_are_not_changes(self):
        self.assertEqual(word_diff("I can drive\nagain.", "I can  drive again.\n"), [])

    def test_changed_words_are_marked_word_by_word(self):
        self.assertEqual(
            word_diff("The injections helped me a lot.", "The injections cured me."),
            [
                (EQUAL, "The injections"),
                (DELETED, "helped me a lot."),
                (INSERTED, "cured me."),
            ],
        )

    def test_added_words_at_the_end(self):
        self.assertEqual(
            word_diff("It helped.", "It helped. Everyone should try it."),
            [(EQUAL, "It helped."), (INSERTED, "Everyone should try it.")],
        )
