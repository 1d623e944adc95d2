"""What an edit changed in a patient's quoted words, word by word (FTC 16 CFR 255.1:
quotes stay as the patient approved them).

Whitespace is layout, not words: re-wrapping a line or doubling a space is no change,
so the comparison runs on the words alone."""

import difflib

EQUAL, DELETED, INSERTED = "equal", "deleted", "inserted"


def word_diff(approved, current):
    """[(kind, text)] in reading order: kept words, words taken out, words put in.
    Empty when the words are the same."""
    old, new = (approved or "").split(), (current or "").split()
    if old == new:
        return []
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append((EQUAL, " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append((DELETED, " ".join(old[a1:a2])))
        if b2 > b1:
            parts.append((INSERTED, " ".join(new[b1:b2])))
    return parts
