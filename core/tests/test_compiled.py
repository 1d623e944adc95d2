"""A queryset compiled once (core.compiled) answers what the same queryset compiled
afresh answers, for any ids it is run with, and anything made from it is compiled
afresh rather than answered with the kept SQL."""

import pickle

from django.db import connection
from django.db.models import CharField, Prefetch
from django.db.models.sql.compiler import SQLCompiler
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission, Page

from core.compiled import KEPT, Bound, Ids, compiled


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
                self.assertEqual(list(kept.run(ids=ids)), list(expected))

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
                rows = list(compiled("pages", pages_by_id).run(ids=ids))
            self.assertEqual([page.pk for page in rows], ids)
            self.assertEqual(len(queries), 1)
        self.assertEqual(len(compiles), 1)
        list(compiled("other pages", pages_by_id).run(ids=self.ids))  # another key: its own
        self.assertEqual(len(compiles), 2)

    def test_what_is_made_from_a_run_is_compiled_afresh(self):
        run = compiled("pages", pages_by_id).run(ids=self.ids[:3])
        list(run)  # the kept SQL is in use
        made = compiled("pages", pages_by_id).run(ids=self.ids[:3])
        self.assertEqual(list(made.filter(slug="page-1")), [self.pages[1]])
        self.assertEqual(made.count(), 3)
        self.assertEqual(made.order_by("-path").first(), self.pages[2])
        self.assertEqual(list(made.values_list("slug", flat=True)), ["page-0", "page-1", "page-2"])
        self.assertFalse(made.filter(slug="nope").exists())

    def test_ids_are_numbers_or_nothing(self):
        kept = compiled("pages", pages_by_id)
        with self.assertRaises(ValueError):
            list(kept.run(ids=["1) OR (1=1"]))

    def test_a_bound_value_is_each_runs_own(self):
        kept = compiled("by slug", lambda: Page.objects.filter(slug=Bound("slug", CharField())))
        for page in self.pages:
            with self.subTest(slug=page.slug):
                self.assertEqual(list(kept.run(slug=page.slug)), [page])
                self.assertEqual(kept.run(slug=page.slug).count(), 1)  # made from it
        self.assertEqual(list(kept.run(slug="page-1' OR '1'='1")), [])

    def test_a_bound_value_in_a_subquery_is_bound_in_what_is_made_from_a_run(self):
        parents = compiled(
            "parents",
            lambda: Page.objects.filter(
                pk__in=Page.objects.filter(slug=Bound("slug", CharField())).values("pk")
            ),
        )
        self.assertEqual(list(parents.run(slug="page-2")), [self.pages[2]])
        self.assertEqual(parents.run(slug="page-2").count(), 1)
        self.assertTrue(parents.run(slug="page-3").exists())

    def test_runs_are_not_combined_and_an_unbound_value_is_an_error(self):
        kept = compiled("pages", pages_by_id)
        with self.assertRaises(TypeError):
            kept.run(ids=self.ids[:1]) | kept.run(ids=self.ids[1:2])
        with self.assertRaises(ValueError):  # a run's condition, in a plain query
            list(Page.objects.filter(pk=self.ids[0]) | kept.run(ids=self.ids[1:2]))
        with self.assertRaises(ValueError):
            list(kept.queryset)
        with self.assertRaises(TypeError):  # a run's values would be kept with its SQL
            compiled("from a run", lambda: kept.run(ids=self.ids).filter(depth=2))

    def test_a_query_that_can_match_nothing_answers_nothing(self):
        nothing = compiled("nothing", lambda: Page.objects.filter(pk__in=[]).filter(Ids()))
        with self.assertNumQueries(0):
            self.assertEqual(list(nothing.run(ids=self.ids)), [])

    def test_a_run_pickles_as_the_rows_it_read(self):
        run = compiled("pages", pages_by_id).run(ids=self.ids[:2])
        self.assertEqual(list(pickle.loads(pickle.dumps(run))), self.pages[:2])  # noqa: S301

    def test_the_kept_queryset_holds_no_row_a_run_read(self):
        # Django writes the instance it prefetches for into the prefetch queryset's
        # hints: each run has its own, so the process keeps no page (or patient photo).
        prefetch = Prefetch("group_permissions", queryset=GroupPagePermission.objects.all())
        kept = compiled("with permissions", lambda: pages_by_id().prefetch_related(prefetch))
        self.assertEqual(list(kept.run(ids=self.ids)), self.pages)
        (template_prefetch,) = kept.queryset._prefetch_related_lookups
        self.assertEqual(template_prefetch.queryset._hints, {})
