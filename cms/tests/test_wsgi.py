"""The WSGI entry point gunicorn loads (cms/wsgi.py)."""

import subprocess
import sys

FREEZE_COUNT = "import gc, cms.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"


def test_what_start_up_loads_is_kept_out_of_full_garbage_collections():
    # In its own process: freezing this one would keep the tests' objects too.
    output = subprocess.run(
        [sys.executable, "-c", FREEZE_COUNT], capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, tracked = int(output[0]), int(output[1])
    # Django, Wagtail and the models: a full pass walks what is left, a small part.
    assert frozen > 50_000
    assert tracked < frozen / 10
