"""Rules about naming conditions, treatments and reviewers in public, shared by articles
and patient stories so that one rule reads the same everywhere."""

import re

from core.models import Jurisdiction, jurisdiction_for

# Why a prescription-only medicine may not be named on a public page, per jurisdiction.
ADVERTISING_BANS = {
    Jurisdiction.UK: (
        "UK law forbids advertising prescription-only medicines to the public "
        "(Human Medicines Regulations 2012, regulation 284; CAP Code 12.12)"
    ),
    Jurisdiction.EU: (
        "EU law forbids advertising prescription-only medicines to the public "
        "(Directive 2001/83/EC, Article 88)"
    ),
}


def prescription_only_problems(treatments, site=None, request=None):
    """Reasons ``treatments`` may not be published on ``site`` (the request's site, when
    a page is being answered): in the UK and EU, any prescription-only medicine among
    them. Empty for US sites (fair balance applies there instead: the page shows the
    treatment's safety information)."""
    jurisdiction = jurisdiction_for(site, request)
    ban = ADVERTISING_BANS.get(jurisdiction)
    if ban is None:
        return []
    return [
        f"“{treatment.name}” is a prescription-only medicine and this site publishes under "
        f"{Jurisdiction(jurisdiction).label} rules: {ban}. Remove it from this "
        "page, or ask a site administrator whether the site's jurisdiction setting is right."
        for treatment in treatments
        if treatment.prescription_only
    ]


def names_in_text(treatments, text):
    """The treatments among ``treatments`` whose name or a brand name appears in ``text``."""
    found = []
    for treatment in treatments:
        for name in treatment.all_names:
            if re.search(rf"\b{re.escape(name)}\b", text, flags=re.IGNORECASE):
                found.append(treatment)
                break
    return found


def unpublished_problems(items):
    """Reasons a page may not go live while it names ``items`` (conditions, treatments,
    a reviewer) whose own text has not been approved through their workflow."""
    return [
        f"\u201c{item}\u201d ({item._meta.verbose_name}) has not been approved for the site "
        "yet: submit it for moderation first, or choose another."
        for item in items
        if item is not None and not item.live
    ]
