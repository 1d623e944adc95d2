import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

from core.pagecache import FastPath  # noqa: E402 - after the settings module is chosen

# Copies of public pages are answered before Django (core/pagecache.py, FastPath).
application = FastPath(get_wsgi_application())
