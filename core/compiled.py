"""Querysets compiled to SQL once per process, for the public reads that run on every
page with the same shape: featured testimonials and stories, a listing's rows and cards,
a story's route, videos and related articles.

Django builds and compiles a queryset's SQL afresh at every evaluation: for a five-table
join through the consent rule that is about a millisecond of CPU, more than fetching
its rows. Here the SQL of a queryset is compiled once, under a key that names all it
was built from (the day the consent rule asks about among them, so a consent ending at
midnight ends with the key), and each run binds only the values it is given (``Bound``,
``Ids``).

What a run returns is an ordinary queryset: its rows are the same Django instances
(``select_related``, ``only``, ``prefetch_related`` and annotations as built). Changing
it (``filter``, ``count``, ``first``...) gives a queryset compiled as usual, with the
run's values; combining two runs (``|``, ``&``) is refused, as their values would mix.
"""

import copy
import json
from contextvars import ContextVar

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.expressions import Expression
from django.db.models.sql.query import Query

# Compiled querysets by key; a process keeps a few dozen (a key lasts one day).
KEPT = {}
MOST_KEPT = 64

# The values of the run whose SQL is being compiled; KEEPING while the kept SQL is.
KEEPING = object()
compiling_with = ContextVar("compiling_with", default=None)


def compiled(key, build):
    """The queryset ``build()`` returns, compiled once for ``key`` (which must name
    every value ``build`` reads that is not ``Bound``)."""
    found = KEPT.get(key)
    if found is None:
        if len(KEPT) >= MOST_KEPT:
            KEPT.clear()  # old days' keys
        found = KEPT[key] = Compiled(build())
    return found


class Bound(Expression):
    """A value given at each run (``run(name=value)``): in the kept SQL, a parameter."""

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self.value_in(connection)]

    def value_in(self, connection):
        values = compiling_with.get()
        if values is KEEPING:
            return self  # in the value's place, until a run binds it
        if values is None or self.name not in values:
            raise ValueError(f"No value for {self.name!r}: run it with compiled(...).run().")
        return self.bind(values[self.name], connection)

    def bind(self, value, connection):
        return self.output_field.get_db_prep_value(value, connection)


class Ids(Bound):
    """True for rows whose ``field`` is among the ids a run is given (``run(ids=...)``),
    in SQL that does not change with their number."""

    conditional = True

    def __init__(self, field="pk"):
        super().__init__("ids", models.BooleanField())
        self.column = models.F(field)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        # A compiled column; the ids are a parameter.
        column, params = compiler.compile(self.column)
        value = self.value_in(connection)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", [*params, value]
        # SQLite (the local default): the ids as a JSON list.
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, value]  # noqa: S608

    def bind(self, ids, connection):
        ids = [int(pk) for pk in ids]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


class Compiled:
    def __init__(self, queryset):
        if isinstance(queryset.query, BoundQuery):
            raise TypeError("Compile the queryset a run is made from, not a run's.")
        self.queryset = queryset
        self.sql = {}  # by database alias: (compiler, sql, params)

    def run(self, **values):
        """The queryset, with ``values`` for its ``Bound`` expressions; to iterate."""
        queryset = self.queryset._chain()
        queryset.query.__class__ = KeptQuery
        queryset.query.compiled, queryset.query.bound_values = self, values
        # Its own prefetch querysets: Django writes the instances it prefetches for
        # into their hints.
        queryset._prefetch_related_lookups = tuple(
            own_prefetch(lookup) for lookup in queryset._prefetch_related_lookups
        )
        return queryset

    def compiler(self, compiler, values):
        """A copy of the compiler that first compiled the query (what Django's
        iterables read of it: the selected columns and how they map to instances),
        answering its SQL with ``values`` bound."""
        connection = compiler.connection
        if connection.alias not in self.sql:
            self.sql[connection.alias] = self.first_compiled(compiler)
        first, sql, params = self.sql[connection.alias]
        bound = [p.bind(values[p.name], connection) if isinstance(p, Bound) else p for p in params]
        run = copy.copy(first)
        run.connection, run.query = connection, compiler.query
        run.as_sql = lambda *args, **kwargs: (sql, bound)
        return run

    @staticmethod
    def first_compiled(compiler):
        token = compiling_with.set(KEEPING)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = "", []  # no row can match: Django answers empty SQL with none
        finally:
            compiling_with.reset(token)
        kept = copy.copy(compiler)
        kept.connection = kept.query = None  # each run's own
        return kept, sql, params


def own_prefetch(lookup):
    if isinstance(lookup, models.Prefetch) and lookup.queryset is not None:
        lookup = copy.copy(lookup)
        lookup.queryset = lookup.queryset._chain()
    return lookup


class BoundQuery(Query):
    """A query made from a run: compiled afresh, with the run's values."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compile_sql, values = compiler.as_sql, self.bound_values

        def as_sql(*args, **kwargs):
            token = compiling_with.set(values)
            try:
                return compile_sql(*args, **kwargs)
            finally:
                compiling_with.reset(token)

        compiler.as_sql = as_sql
        return compiler

    def combine(self, rhs, connector):
        raise TypeError("Runs are not combined: run once with all the values instead.")


class KeptQuery(BoundQuery):
    """A query run with the SQL its ``compiled`` kept; any change to it is a
    ``BoundQuery``, compiled afresh."""

    def clone(self):
        clone = super().clone()
        clone.__class__ = BoundQuery
        del clone.compiled
        return clone

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = Query.get_compiler(self, using, connection, elide_empty)
        return self.compiled.compiler(compiler, self.bound_values)

    def __reduce_ex__(self, protocol):
        return unpickled, (self.clone().__dict__,)  # without what it keeps


def unpickled(state):
    query = BoundQuery.__new__(BoundQuery)
    query.__dict__.update(state)
    return query
