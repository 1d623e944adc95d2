"""Mark the searched words in a snippet, escaping everything else.

The text is split on the matches and each piece escaped on its own, so neither the
visitor's query nor the stored text can inject markup (no ``|safe`` on user input).
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_TERMS = 8
# PostgreSQL full-text search matches stems ("spasm" finds "spasms"): mark whole words
# that start with the term's stem.
SUFFIXES = ("ing", "es", "ed", "s")


def terms(query):
    words = re.findall(r"\w+", query.lower())
    unique = list(dict.fromkeys(w for w in words if len(w) > 1))
    return [stem(w) for w in unique[:MAX_TERMS]]


def stem(word):
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlight(text, query):
    text = text or ""
    words = terms(query or "")
    if not words:
        return escape(text)
    pattern = re.compile(
        r"\b(?:{})\w*".format("|".join(re.escape(w) for w in words)), re.IGNORECASE
    )
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
