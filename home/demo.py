"""Demo home page: an intro, the demo patient stories and testimonials featured, and the
organisation's details. Safe to run again: it changes only what is still empty.

Runs after stories.demo (home/management/commands/load_demo.py) so that the stories it
features exist; without them it features nothing."""

from django.utils import timezone
from wagtail.models import Site

from core.models import OrganisationSettings
from home.models import HomePage, StandardPage
from home.standard_pages import PAGES
from moderation.testing import WorkflowNotApproved, publish_through_workflow

INTRO = (
    "<p>Real experiences from our patients, shared with their consent, and clear "
    "information about the treatments we offer.</p>"
)
FEATURED_STORY_SLUGS = [
    "maria-turning-her-head-again",
    "daniel-counting-good-days",
    "robert-back-on-the-riverfront-trail",
]
FEATURED_TESTIMONIAL_TITLES = [
    "Maria on driving again",
    "Anonymous: planning around the three-month cycle",
    "Priya on reading again",
]


def load():
    site = Site.objects.get(is_default_site=True)
    lines = [f"Site: http://127.0.0.1:8000/ ({_settings(site).name})"]
    home = site.root_page.specific
    if isinstance(home, HomePage):
        lines.append(f"  Home page: {_home(home)}")
        lines.extend(f"  {title}: {state}" for title, state in _standard_pages(home))
    return lines


def _settings(site):
    settings = OrganisationSettings.for_site(site)
    if not settings.address:
        settings.address = "1200 River Road, Suite 300\nSpringfield, IL 62701"
        settings.phone = "(217) 555-0142"
        settings.email = "hello@riverside-neurology.example"
        settings.save()
    return settings


def _home(home):
    from stories.models import PatientStoryPage, Testimonial

    home = home.get_latest_revision_as_object()
    changed = []
    if not home.intro:
        home.intro = INTRO
        changed.append("intro")
    if not home.featured_stories:
        stories = {
            story.slug: story
            for story in PatientStoryPage.objects.filter(slug__in=FEATURED_STORY_SLUGS)
        }
        chosen = [stories[slug] for slug in FEATURED_STORY_SLUGS if slug in stories]
        if chosen:
            home.featured_stories = [("story", story) for story in chosen]
            changed.append(f"{len(chosen)} featured stories")
    if not home.featured_testimonials:
        testimonials = Testimonial.objects.filter(title__in=FEATURED_TESTIMONIAL_TITLES)
        by_title = {t.title: t for t in testimonials}
        chosen = [by_title[t] for t in FEATURED_TESTIMONIAL_TITLES if t in by_title]
        if chosen:
            home.featured_testimonials = [("testimonial", t) for t in chosen]
            changed.append(f"{len(chosen)} featured testimonials")
    if not changed:
        return "unchanged"
    if home.workflow_in_progress:
        return "in review (not changed)"
    try:
        # Not a moderated type, but the site's root workflow applies to it.
        publish_through_workflow(home)
    except WorkflowNotApproved as refused:
        return f"draft, refused: {refused}"
    return "published with " + ", ".join(changed)


def _standard_pages(home):
    """The footer's pages, each published through the site's workflow like any page."""
    for words in PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=words["slug"]).first()
        if page is not None:
            yield words["title"], "live" if page.live else "exists (not live)"
            continue
        page = StandardPage(
            title=words["title"],
            slug=words["slug"],
            intro=words["intro"],
            body=words["body"],
            last_reviewed=timezone.localdate(),
            live=False,  # it goes live through the workflow below, not by being created
        )
        home.add_child(instance=page)
        try:
            publish_through_workflow(page)
        except WorkflowNotApproved as refused:
            yield words["title"], f"draft, refused: {refused}"
            continue
        yield words["title"], "published"
