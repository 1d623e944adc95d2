"""Wagtail's page lookups in fewer queries, with the same answers.

Wagtail walks a URL one level at a time (a query for each child and one more for each
``.specific``), reads a page's ancestors and then their view restrictions in two more,
and ``PageQuerySet.public()`` reads every restriction before the query it filters. On a
page rendered afresh these were half the queries. Here each is one query, or none.

A page whose class says its row holds nothing of a patient (``route_kept = True``: the
home page, indexes, articles, standard pages) is kept, once found, in Django's cache
under its path, until any page, site or view restriction changes (core.sites starts a
new generation of keys). A patient story is always read afresh, with its consent: under
the kept story index, in one query, as a story.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, F
from django.db.models.functions import Coalesce
from django.db.models.lookups import Lookup
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from core.compiled import Bound, compiled


def route(root, request, path_components):
    """What ``Page.route`` answers from ``root`` for ``path_components``, in two
    queries: the pages on the path (by slug, matched on their URL path) and the last
    one's specific page, marked when a view restriction covers it. A page on
    the way that routes on its own (a routable page whose route matches) is handed the
    rest of the path, as Wagtail's walk would. Pages kept in the cache answer with no
    query (``kept_route``)."""
    keys = _route_keys(root, request, path_components)
    if keys:
        found = kept_route(root, request, keys, path_components)
        if found is not None:
            return found
    found, consumed = _walk(root, request, path_components)
    page = found.page
    # Kept under the path that led to it (a routable page's own, not its routes').
    at = root.url_path + "".join(f"{slug}/" for slug in path_components[:consumed])
    if keys and getattr(page, "route_kept", False) and page.url_path == at:
        cache.set(keys[consumed], page, KEPT_TIMEOUT)
    return found


KEPT_TIMEOUT = 300
KEPT_DEPTH = 8  # deeper paths are walked: no page of this site is that deep


def kept_key(request, *parts):
    """The cache key of a value kept until any page, site or view restriction changes:
    named by ``parts`` under the generation core.sites leaves on the request. None
    without one (a request that did not come through ``serve``)."""
    generation = getattr(request, "_kept_generation", None)
    if generation is None:
        return None
    name = "/".join(str(part) for part in parts)
    return f"core:kept:{generation}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"


def _route_keys(root, request, path_components):
    """A cache key for ``root`` itself and for each step of the path, up to the whole
    path; None without a generation, or for a deeper path."""
    if len(path_components) > KEPT_DEPTH or kept_key(request) is None:
        return None
    return [
        kept_key(request, "route", root.pk, *path_components[:n])
        for n in range(len(path_components) + 1)
    ]


def kept_route(root, request, keys, path_components):
    """Wagtail's walk over the pages kept for the path's steps (one cache read): the
    page kept for the whole path answers (a walk of this very path found it); else the
    first page on the way that routes the rest itself, else the last. When only the last
    step is not kept, its page may be read on its own (``_only_child``). Else None: the
    path is then walked in the database."""
    kept = cache.get_many(keys[1:] if path_components else keys)  # the root: no step
    if not path_components:
        return RouteResult(kept[keys[0]]) if keys[0] in kept else None
    whole = kept.get(keys[-1])
    if whole is not None:  # whether or not the pages on the way are still kept
        return whole.route(request, []) if _routes_itself(whole, []) else RouteResult(whole)
    for n in range(1, len(keys)):
        page = kept.get(keys[n])
        if page is None:
            parent = kept.get(keys[n - 1])
            if parent is None or n < len(path_components):
                return None
            # Only the last step is not kept (a story under the story index).
            on_the_way = [root, *(kept[key] for key in keys[1:n])]
            aliases = any(p.alias_of_id is not None for p in on_the_way)
            child = _only_child(parent, path_components[-1], aliases)
            return None if child is None else RouteResult(child)
        rest = path_components[n:]
        if _routes_itself(page, rest):
            return page.route(request, rest)
        if not rest:
            return RouteResult(page)
    return None


def _walk(root, request, path_components):
    """The route, and how many of the path's steps led to the page that answered."""
    if not path_components:
        if not root.live:
            raise Http404
        return RouteResult(_found(root, root.alias_of_id is not None)), 0
    url_paths = [
        root.url_path + "".join(f"{slug}/" for slug in path_components[: n + 1])
        for n in range(len(path_components))
    ]
    found = {
        page.url_path: page
        for page in Page.objects.filter(
            slug__in=set(path_components),
            path__startswith=root.path,
            depth__gt=root.depth,
            depth__lte=root.depth + len(path_components),
        ).order_by()  # read into a dict: Wagtail's ordering by path is work for nothing
        if page.url_path in url_paths
    }
    parent, aliases = root, root.alias_of_id is not None
    for n, url_path in enumerate(url_paths):
        page = found.get(url_path)
        if page is None:
            raise Http404
        page._cached_parent_obj = parent  # as Wagtail's walk leaves it
        aliases = aliases or page.alias_of_id is not None
        rest = path_components[n + 1 :]
        if _routes_itself(page, rest):
            return _found(page, aliases).route(request, rest), n + 1
        parent = page
    if not page.live:
        raise Http404
    return RouteResult(_found(page, aliases)), len(path_components)


def serve(request, path):
    """Wagtail's ``serve`` view, with the page found by ``route`` from the site's root
    page as the site lookup loaded it (Wagtail loads the root's specific page first: one
    query more; for the root itself, one more for its view restrictions). Only under a
    root whose class routes with ``route`` itself (``routes_by_url_path``); any other
    root is walked by Wagtail. The site is read with the organisation's settings."""
    from core.sites import find_site  # a model module: not importable with the models

    site = find_site(request)
    path_components = [part for part in path.split("/") if part]
    if (
        site is not None
        and getattr(site.root_page.specific_class, "routes_by_url_path", False)
        and not settings.WAGTAIL_I18N_ENABLED
    ):
        try:
            found = route(site.root_page, request, path_components)
        except Http404:
            found = None
        # Where Wagtail keeps the route it found for this request (route_for_request).
        request._wagtail_route_for_request = found
        root_paths = getattr(request, "_wagtail_cached_site_root_paths", None)
        if found is not None and root_paths is not None:
            # The page's own URLs without a request (page.full_url in templates) from
            # the root paths find_site read, rather than from the cache once more.
            found.page._wagtail_cached_site_root_paths = root_paths
    from wagtail import views  # loads models: not importable with this module's models

    return views.serve(request, path)


def _routes_itself(page, rest):
    """Would this page answer ``rest`` itself rather than hand it to a child? A page
    of a class with its own ``route`` might; a routable page does when one of its
    routes matches (Wagtail tries those before the children)."""
    kind = page.specific_class
    if kind is None or kind.route is Page.route:
        return kind is None
    if issubclass(kind, RoutablePageMixin) and kind.route is RoutablePageMixin.route:
        try:
            kind.get_resolver().resolve("/" + "".join(f"{slug}/" for slug in rest))
        except Http404:
            return False
        return page.live
    return True


def _found(page, aliases):
    """``page.specific``, read with whether a view restriction covers it (the serve
    hook then asks no more), and with what its class's ``for_serving(queryset)`` adds.
    An alias takes its source page's restrictions, so with one on the way they are read
    as Wagtail reads them."""
    kind = page.specific_class
    if kind is None or isinstance(page, kind):
        return page.specific
    specific = _for_serving(kind).get(id=page.id)
    for name, value in page.__dict__.items():  # what .specific carries over
        specific.__dict__.setdefault(name, value)
    specific._unrestricted = specific.unrestricted and not aliases
    return specific


def _only_child(parent, slug, aliases):
    """The child ``slug`` of a kept page whose class takes one type of child, read as
    that type in one query (rather than found as a page, then read again as its type).
    None when no such child answers: the path is then walked, which finds any other
    child, or answers 404. Raises 404 for a child that is not live, as the walk does."""
    kinds = parent.specific_class.allowed_subpage_models()
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    if kind.route is not Page.route or getattr(kind, "route_kept", False):
        return None  # a kept kind is walked once, then kept
    children = compiled(
        ("only child", kind._meta.label, parent.path),
        lambda: (
            _for_serving(kind)
            .filter(path__startswith=parent.path, depth=parent.depth + 1, slug=SLUG)
            .order_by()
        ),
    )
    page = next(iter(children.run(slug=slug)), None)  # slugs are unique among siblings
    if page is None:
        return None
    if not page.live:
        raise Http404
    page._cached_parent_obj = parent  # as Wagtail's walk leaves it
    page._unrestricted = page.unrestricted and not aliases and page.alias_of_id is None
    return page


SLUG = Bound("slug", CharField())


def _for_serving(kind):
    pages = kind._default_manager.annotate(unrestricted=Unrestricted())
    if hasattr(kind, "for_serving"):
        pages = kind.for_serving(pages)
    return pages


def view_restrictions(page):
    """``Page.get_view_restrictions()`` in one query, or none when routing read that
    there are none: the restrictions on the page and its ancestors, an alias's
    restrictions being its source page's."""
    if getattr(page, "_unrestricted", False):
        none = PageViewRestriction.objects.none()
        # Already read, as prefetching leaves a queryset: iterating an empty queryset
        # still compiles its query (a quarter of a millisecond on every page served).
        none._result_cache = []
        return none
    depth = len(page.path) // Page.steplen
    paths = [page.path[: Page.steplen * n] for n in range(1, depth + 1)]
    checked = Page.objects.filter(path__in=paths).values(source=Coalesce("alias_of_id", "id"))
    return PageViewRestriction.objects.filter(page_id__in=checked)


class Unrestricted(Lookup):
    """True for a page (its ``path``) in no section under a view restriction:
    ``NOT EXISTS`` a restriction on a page whose path starts the page's own.

    The SQL is written out once rather than built as a queryset: building and compiling
    that subquery cost about 1.5 ms of CPU each time, on nearly every public query.
    Only the page's path column is compiled, so it names the right table however the
    query is joined or nested. The prefix test is Django's ``startswith`` on each
    database, escaping included."""

    lookup_name = "unrestricted"  # what search backends see: a lookup on ``path``
    prepare_rhs = False

    def __init__(self, path=None, rhs=True):
        super().__init__(F("path") if path is None else path, rhs)

    def as_sql(self, compiler, connection):
        if self.rhs is not True:
            raise ValueError("Unrestricted() is only ever true.")
        path, params = compiler.compile(self.lhs)
        # Compiled SQL and Django's own operator text: no user input is formatted in.
        starts_with = connection.pattern_ops["startswith"].format(
            connection.pattern_esc.format("restricted_page.path")
        )
        return UNRESTRICTED.format(path=path, starts_with=starts_with), params


UNRESTRICTED = (
    "NOT EXISTS (SELECT 1 FROM wagtailcore_pageviewrestriction restriction "
    "INNER JOIN wagtailcore_page restricted_page ON restricted_page.id = restriction.page_id "
    "WHERE {path} {starts_with})"
)


def public(pages):
    """``pages.public()`` with the restrictions read inside the same query: pages in no
    section under a view restriction."""
    # A lookup on the path column: search backends accept that in a filter, not EXISTS.
    return pages.filter(Unrestricted())


class OneQueryRestrictions:
    """For page models: the serve hook's view-restriction check in one query."""

    def get_view_restrictions(self):
        return view_restrictions(self)
