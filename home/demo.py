"""Demo home page: an intro, the demo patient stories and testimonials featured, and the
organisation's details. Safe to run again: it changes only what is still empty.

Runs after stories.demo (home/management/commands/load_demo.py) so that the stories it
features exist; without them it features nothing."""

from wagtail.models import Site

from core.models import OrganisationSettings
from home.models import HomePage
from moderation.testing import WorkflowNotApproved, publish_through_workflow

INTRO = (
    "<p>Real experiences from our patients, shared with their consent, and clear "
    "information about the treatments we offer.</p>"
)
FEATURED_STORY_SLUGS = ["maria-turning-her-head-again", "james-four-days"]
FEATURED_TESTIMONIAL_TITLES = [
    "Maria on driving again",
    "Anonymous: planning around the three-month cycle",
    "James on the first few days",
]


def load():
    site = Site.objects.get(is_default_site=True)
    lines = [f"Site: http://127.0.0.1:8000/ ({_settings(site).name})"]
    home = site.root_page.specific
    if isinstance(home, HomePage):
        lines.append(f"  Home page: {_home(home)}")
    return lines


def _settings(site):
    settings = OrganisationSettings.for_site(site)
    if not settings.address:
        settings.address = "12 Riverside Walk\nSpringfield"
        settings.phone = "0100 000 0000"
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
