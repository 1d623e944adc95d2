"""Values kept in Django's cache until what they are read from changes: any page's save,
publish, unpublish, move or deletion, a view restriction's save or deletion (what is
public), or a save or deletion of the other models named, drops them, so the next
request reads them again (the site lookup, the main menu)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move


def drop_on_change(keys, name, models=(), pages=True):
    """Drop ``keys`` from the cache at each change to a page (unless ``pages`` is False)
    or to ``models``; ``name`` makes the receivers' dispatch ids. Returns the function
    that drops them."""
    watched = (Page, PageViewRestriction, *models) if pages else tuple(models)

    def drop(**kwargs):
        cache.delete_many(keys)

    def drop_if_watched(sender, **kwargs):
        if issubclass(sender, watched):
            drop()

    # Held strongly: these functions exist only here.
    if pages:
        page_published.connect(drop, weak=False, dispatch_uid=f"{name}.published")
        page_unpublished.connect(drop, weak=False, dispatch_uid=f"{name}.unpublished")
        post_page_move.connect(drop, weak=False, dispatch_uid=f"{name}.moved")
    post_save.connect(drop_if_watched, weak=False, dispatch_uid=f"{name}.saved")
    post_delete.connect(drop_if_watched, weak=False, dispatch_uid=f"{name}.deleted")
    return drop
