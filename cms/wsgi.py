import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

from core.pagecache import FastPath  # noqa: E402 - after the settings module is chosen

# Copies of public pages are answered before Django (core/pagecache.py, FastPath).
application = FastPath(get_wsgi_application())

# What was loaded above (Django, Wagtail, every model and setting) lives as long as the
# process. Kept out of the garbage collector's full passes, which would otherwise walk
# its 150,000 objects (80 ms or more, paid by whichever request triggers one, mostly in
# a new worker's first minutes): a full pass then walks only what requests add.
gc.freeze()
