"""A queryset compiled once (core.compiled) answers what the same queryset compiled
afresh answers, for any ids it is run with, and anything made from it is compiled
afresh rather than answered with the kept SQL."""

from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from core.compiled import KEPT, Ids, compiled


def pages_by_id():
    return Page.objects.filter(Ids()).order_by("path")


class CompiledTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.pages = [
            root.add_child(instance=Page(title=f"Page {n}", slug=f"page-{n}", live=False))
            for n in range(5)
        ]
        cls.ids = [page.pk for page in cls.pages]

    def setUp(self):
        KEPT.clear()

    def test_each_run_answers_for_its_own_ids(self):
        kept = compiled("pages", pages_by_id)
        for ids in [self.ids, self.ids[:1], self.ids[2:4], [], [0, -1], [*self.ids, *self.ids]]:
            with self.subTest(ids=ids):
                expected = Page.objects.filter(pk__in=ids).order_by("path")
                self.assertEqual(list(kept.run(ids)), list(expected))

    def test_the_sql_is_compiled_once_for_its_key(self):
        compiles = []
        original = SQLCompiler.as_sql

        def counted(compiler, *args, **kwargs):
            compiles.append(compiler.query.model)
            return original(compiler, *args, **kwargs)

        SQLCompiler.as_sql = counted
        self.addCleanup(setattr, SQLCompiler, "as_sql", original)
        for ids in [self.ids, self.ids[:2], self.ids[3:]]:
            with CaptureQueriesContext(connection) as queries:
                rows = list(compiled("pages", pages_by_id).run(ids))
            self.assertEqual([page.pk for page in rows], ids)
            self.assertEqual(len(queries), 1)
        self.assertEqual(len(compiles), 1)
        list(compiled("other pages", pages_by_id).run(self.ids))  # another key: its own
        self.assertEqual(len(compiles), 2)

    def test_what_is_made_from_a_run_is_compiled_afresh(self):
        run = compiled("pages", pages_by_id).run(self.ids[:3])
        list(run)  # the kept SQL is in use
        made = compiled("pages", pages_by_id).run(self.ids[:3])
        self.assertEqual(list(made.filter(slug="page-1")), [self.pages[1]])
        self.assertEqual(made.count(), 3)
        self.assertEqual(made.order_by("-path").first(), self.pages[2])
        self.assertEqual(list(made.values_list("slug", flat=True)), ["page-0", "page-1", "page-2"])
        self.assertFalse(made.filter(slug="nope").exists())

    def test_ids_are_numbers_or_nothing(self):
        kept = compiled("pages", pages_by_id)
        with self.assertRaises(ValueError):
            list(kept.run(["1) OR (1=1"]))
