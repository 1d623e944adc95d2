"""Search result snippets: PostgreSQL marks the matched words (``ts_headline``, with
its own stemming, through ``stories.models.patient_content.headline``); here the text is
escaped and those marks, and only those, become <mark>.

The text is split on the marks and each piece escaped on its own, so neither the
visitor's query nor the stored text can inject markup (no ``|safe`` on user input).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from stories.models.patient_content import MARK_START, MARK_STOP


def marked(text):
    pieces = []
    for n, part in enumerate((text or "").split(MARK_START)):
        if n == 0:
            pieces.append(escape(part.replace(MARK_STOP, "")))
            continue
        word, _, rest = part.partition(MARK_STOP)
        pieces.append(f"<mark>{escape(word)}</mark>{escape(rest.replace(MARK_STOP, ''))}")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
