"""Publishing rules for content that names treatments; other apps (patient stories)
call these too, so one rule reads the same everywhere."""

import calendar
import datetime
import re

from wagtail.models import Site

from home.models import Jurisdiction, OrganisationSettings

# NHS practice: health information is reviewed at least every 12 months.
REVIEW_INTERVAL_MONTHS = 12

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


def add_months(date, months):
    """``date`` moved on by ``months``, clamped to the month's last day (29 Feb -> 28 Feb)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def next_review_after(last_reviewed):
    return add_months(last_reviewed, REVIEW_INTERVAL_MONTHS)


def jurisdiction_for(site):
    """The jurisdiction a site publishes under; the default site's when the content
    is not (yet) under any site, so an orphan page is judged by the strict default."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Jurisdiction.US
    return OrganisationSettings.for_site(site).jurisdiction


def prescription_only_problems(treatments, site):
    """Reasons ``treatments`` may not be published on ``site``: in the UK and EU, any
    prescription-only medicine among them. Empty for US sites (fair balance applies
    there instead: the page shows the treatment's safety information)."""
    jurisdiction = jurisdiction_for(site)
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
