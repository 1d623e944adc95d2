"""Querysets compiled to SQL once per process, for the public reads that run on every
page with the same shape: featured testimonials and stories, a listing's cards.

Django builds and compiles a queryset's SQL afresh at every evaluation: for a five-table
join through the consent rule that is about a millisecond of CPU, more than fetching
its rows. Here the SQL of a queryset is compiled once, under a key that names all it
was built from (the day the consent rule asks about among them, so a consent ending at
midnight ends with the key), and each run binds only the ids it asks for (``Ids``).

What a run returns is an ordinary queryset: its rows are the same Django instances
(``select_related``, ``only``, ``prefetch_related`` and annotations as built). Changing
it (``filter``, ``order_by``, ``first``...) gives a queryset compiled as usual, never
the kept SQL.
"""

import copy
import json

from django.db import models
from django.db.models.expressions import Expression
from django.db.models.sql.query import Query

# Compiled querysets by key; a process keeps a few dozen (a key lasts one day).
KEPT = {}
MOST_KEPT = 64


def compiled(key, build):
    """The queryset ``build()`` returns, compiled once for ``key`` (which must name
    every value ``build`` reads that is not an ``Ids``)."""
    found = KEPT.get(key)
    if found is None:
        if len(KEPT) >= MOST_KEPT:
            KEPT.clear()  # old days' keys
        found = KEPT[key] = Compiled(build())
    return found


class Ids(Expression):
    """True for rows whose ``field`` is among the ids a run is given (``run(ids=...)``):
    the one value bound at each run, so that the SQL does not change with their
    number."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, field="pk"):
        super().__init__()
        self.column = models.F(field)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        # A compiled column; the ids are a parameter: in the kept SQL, this expression
        # in their place until a run binds them; in a query made from a run, its ids.
        column, params = compiler.compile(self.column)
        ids = getattr(compiler.query, "bound_ids", None)
        value = self if ids is None else self.bind(ids, connection)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", [*params, value]
        # SQLite (the local default): the ids as a JSON list.
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, value]  # noqa: S608

    @staticmethod
    def bind(ids, connection):
        ids = [int(pk) for pk in ids]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


class Compiled:
    def __init__(self, queryset):
        self.queryset = queryset
        self.sql = {}  # by database alias: (compiler, sql, params)

    def run(self, ids=()):
        """The queryset, for ``ids`` (when built with ``Ids``); to iterate."""
        queryset = self.queryset._chain()
        queryset.query.__class__ = KeptQuery
        queryset.query.compiled, queryset.query.ids = self, list(ids)
        return queryset

    def compiler(self, compiler, ids):
        """A copy of the compiler that first compiled the query (what Django's
        iterables read of it: the selected columns and how they map to instances),
        answering its SQL with ``ids`` bound."""
        connection = compiler.connection
        if connection.alias not in self.sql:
            self.sql[connection.alias] = (compiler, *compiler.as_sql())
        first, sql, params = self.sql[connection.alias]
        bound = [Ids.bind(ids, connection) if isinstance(p, Ids) else p for p in params]
        run = copy.copy(first)
        run.connection, run.query = connection, compiler.query
        run.as_sql = lambda *args, **kwargs: (sql, bound)
        return run


class KeptQuery(Query):
    """A query run with the SQL its ``compiled`` kept; any change to it is a plain
    query, compiled afresh."""

    def clone(self):
        clone = super().clone()
        clone.__class__ = Query
        clone.bound_ids = clone.__dict__.pop("ids")
        del clone.compiled
        return clone

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        return self.compiled.compiler(compiler, self.ids)
