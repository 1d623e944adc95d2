"""Demo patient stories and testimonials about Botox for cervical dystonia, resting on
the demo consents (consent.demo). Run after consent.demo and articles.demo; safe to run
again: everything is looked up by slug or title first.

Live content goes live only through its workflow; content on a consent that has ended
is left as a draft, to show what the site refuses.
"""

from django.utils import timezone
from wagtail.models import Site

from consent.models import AttributionStyle, Consent
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from stories.models import (
    PatientStoryPage,
    StoryIndexPage,
    Testimonial,
    TestimonialIndexPage,
)
from taxonomy.models import Condition, Treatment

MARIA, JAMES, AISHA = "Maria Gonzalez", "James Whitfield", "Aisha Rahman"

TESTIMONIALS = [
    {
        "patient": MARIA,
        "title": "Maria on driving again",
        "quote": "For years I couldn't check my blind spot. A week after my second round of "
        "injections I drove to my sister's without once having to hold my chin.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "publish": True,
    },
    {
        "patient": MARIA,
        "title": "Anonymous: planning around the three-month cycle",
        "quote": "Knowing the effect lasts about three months, I book the next appointment "
        "before I leave. The pulling in my neck never gets back to where it was.",
        "attribution_style": AttributionStyle.ANONYMOUS,
        "show_town": True,
        "publish": True,
    },
    {
        "patient": JAMES,
        "title": "James on the first few days",
        "quote": "I expected nothing for weeks. Within a few days the tremor in my head had "
        "settled enough that I could read a whole chapter in one sitting.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "show_town": True,
        "publish": True,
    },
    {
        "patient": AISHA,
        "title": "Aisha on sleeping through the night",
        "quote": "The shoulder ache used to wake me at three every morning. Now I sleep "
        "through most nights.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "publish": False,  # her consent has expired: the site must refuse it
    },
]

MARIA_WORDS = (
    "I thought the pain in my neck was just how my life would be now. "
    "The first injection didn't feel like much, and then one morning I turned to answer "
    "my daughter without thinking about it."
)
JAMES_WORDS = (
    "My head kept turning to the left, and people assumed I wasn't listening. "
    "The nurse told me it might take a couple of weeks. It took four days."
)

STORIES = [
    {
        "patient": MARIA,
        "slug": "maria-turning-her-head-again",
        "title": "Turning my head again",
        "summary": "After six years of neck spasms, Maria describes her first year of "
        "Botox injections for cervical dystonia.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "approved_text": MARIA_WORDS,
        "body": [
            ("heading", "Six years of a pulling neck"),
            (
                "paragraph",
                "<p>Maria's neck muscles began to pull her head to one side in her late "
                "forties. The spasms made reading, driving and even conversation tiring, "
                "and the ache spread into her shoulders.</p>",
            ),
            ("pull_quote", {"quote": MARIA_WORDS.split(". ")[0] + "."}),
            ("heading", "The treatment"),
            (
                "paragraph",
                "<p>Her neurologist injected small doses of botulinum toxin into the "
                "overactive muscles, guided by where the pulling was strongest. Results "
                "usually show within days to a week, and the effect wears off over about "
                "three months, so she returns for injections on a regular schedule.</p>",
            ),
            (
                "pull_quote",
                {
                    "quote": "The first injection didn't feel like much, and then one "
                    "morning I turned to answer my daughter without thinking about it."
                },
            ),
        ],
    },
    {
        "patient": JAMES,
        "slug": "james-four-days",
        "title": "Four days",
        "summary": "James, a retired teacher, on the head tremor that made people think "
        "he wasn't listening, and what changed after his first treatment.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "show_town": True,
        "approved_text": JAMES_WORDS,
        "body": [
            (
                "paragraph",
                "<p>James's cervical dystonia turned his head to the left and added a "
                "slight tremor. After trying medicines and physiotherapy, he was offered "
                "Botox injections every three months.</p>",
            ),
            ("pull_quote", {"quote": "The nurse told me it might take a couple of weeks."}),
            (
                "paragraph",
                "<p>Like most patients, he had some soreness where the needle went in. "
                "He keeps a diary of his symptoms between appointments so the dose can be "
                "adjusted.</p>",
            ),
            ("pull_quote", {"quote": "It took four days."}),
        ],
    },
]


def load():
    home = Site.objects.get(is_default_site=True).root_page
    condition = Condition.objects.filter(slug="cervical-dystonia").first()
    treatment = Treatment.objects.filter(slug="botulinum-toxin-type-a").first()
    consents = {
        name: Consent.objects.filter(patient__legal_name=name).order_by("-signed_at").first()
        for name in (MARIA, JAMES, AISHA)
    }
    lines = ["Patient stories and testimonials:"]
    if not all(consents.values()):
        return [*lines, "  (demo consents missing: run consent.demo first; skipped)"]

    testimonials = []
    for spec in TESTIMONIALS:
        testimonial, line = _testimonial(spec, consents[spec["patient"]], condition, treatment)
        testimonials.append(testimonial)
        lines.append(line)

    index = _page(
        home,
        StoryIndexPage,
        slug="patient-stories",
        title="Patient stories",
        intro="People treated at the clinic describe, in their own words, living with "
        "cervical dystonia and what treatment changed for them.",
    )
    if not index.featured:
        index.featured = [("testimonial", t) for t in testimonials[:3]]
        index = publish_through_workflow(index)
    listing = _page(
        home,
        TestimonialIndexPage,
        slug="testimonials",
        title="What patients say",
        intro="Short accounts from patients treated for cervical dystonia.",
    )
    lines.append(f"  Stories: http://127.0.0.1:8000{index.url}")
    lines.append(f"  Testimonials: http://127.0.0.1:8000{listing.url}")
    for spec in STORIES:
        lines.append(_story(index, spec, consents[spec["patient"]], condition, treatment))
    return lines


def _page(home, model, slug, **fields):
    page = model.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=model(slug=slug, show_in_menus=True, live=False, **fields))
        page = publish_through_workflow(page)
    return page


def _testimonial(spec, consent, condition, treatment):
    fields = {k: v for k, v in spec.items() if k not in ("patient", "title", "publish")}
    testimonial = Testimonial.objects.filter(title=spec["title"]).first()
    if testimonial is None:
        testimonial = Testimonial.objects.create(
            title=spec["title"],
            consent=consent,
            approved_text=spec["quote"],
            approved_on=timezone.localdate(),
            condition=condition,
            treatment=treatment if _covers_treatment(consent) else None,
            live=False,
            **fields,
        )
        testimonial.save_revision()
    return testimonial, f"  {testimonial.title}: {_go_live(testimonial, spec['publish'])}"


def _story(index, spec, consent, condition, treatment):
    story = PatientStoryPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if story is None:
        fields = {k: v for k, v in spec.items() if k not in ("patient", "body")}
        story = index.add_child(
            instance=PatientStoryPage(
                consent=consent,
                body=spec["body"],
                approved_on=timezone.localdate(),
                condition=condition,
                treatment=treatment if _covers_treatment(consent) else None,
                live=False,
                **fields,
            )
        )
    return f"  {story.title}: {_go_live(story, True)}"


def _covers_treatment(consent):
    return "treatment" in consent.identifiers


def _go_live(obj, publish):
    if obj.live:
        return "live"
    if not publish or obj.workflow_in_progress:
        return "draft (" + ("; ".join(obj.publish_problems()) or "in review") + ")"
    try:
        publish_through_workflow(obj)
    except WorkflowNotApproved as refused:
        return f"draft, refused: {refused}"
    return "live"
