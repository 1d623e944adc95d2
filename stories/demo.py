"""Demo patient stories and testimonials over several conditions and treatments, resting
on the demo consents (consent.demo). Run after consent.demo and articles.demo (which makes
the conditions and treatments); safe to run again: everything is looked up by slug or
title first.

Live content goes live only through its workflow; content on a consent that has ended,
or was never verified, is left as a draft, to show what the site refuses. Some items show
a patient photo: an illustration drawn here (stories.demo_pictures), never a real face,
stored as that patient's private photo, so only a consent covering photos lets it out.
Maria's story plays a short video clip, also drawn here (stories/demo_media/, made with
ffmpeg: a lakeside scene with words on screen and a soft tone, no one in it), with its
WebVTT captions and transcript, so her consent must cover voice or video.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Site

from consent.models import AttributionStyle, Consent
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from stories.demo_pictures import picture
from stories.models import (
    PatientMedia,
    PatientPhoto,
    PatientStoryPage,
    StoryIndexPage,
    Testimonial,
    TestimonialIndexPage,
)
from taxonomy.models import Condition, Treatment

# The demo patients (consent.demo), by legal name.
MARIA, JAMES, AISHA = "Maria Gonzalez", "James Whitfield", "Aisha Rahman"
THOMAS, LENA = "Thomas Berg", "Lena Novak"
DANIEL, PRIYA, ROBERT = "Daniel Okafor", "Priya Shah", "Robert Kowalski"
DENISE, MARCUS, HELEN = "Denise Carter", "Marcus Bell", "Helen Brooks"
PATIENTS = [MARIA, JAMES, AISHA, THOMAS, LENA, DANIEL, PRIYA, ROBERT, DENISE, MARCUS, HELEN]

# Condition and treatment slugs (articles.demo creates them).
DYSTONIA, MIGRAINE = "cervical-dystonia", "chronic-migraine"
SPASTICITY, BLEPHAROSPASM = "spasticity-after-stroke", "blepharospasm"
BOTOX, THERAPY, DBS = "botulinum-toxin-type-a", "physical-therapy", "deep-brain-stimulation"

# The illustrations used as patient photos: title and the alt text a story gives them.
PHOTOS = {
    "lakeside": "Illustration: a figure seen from behind, on a bench by a lake at sunset",
    "open-road": "Illustration: an empty road running through farmland to the horizon",
    "tea-and-book": "Illustration: an open book and a mug of tea on a table by a window",
    "walking-figure": "Illustration: a figure seen from behind, walking a path by a lake",
    "trail": "Illustration: a path winding through green hills toward the mountains",
    "bicycle": "Illustration: a red bicycle leaning on a white picket fence",
}

DEMO_MEDIA = Path(__file__).parent / "demo_media"
VIDEOS = {
    "maria-lakeside": {
        "title": "Maria's lakeside clip (drawn demo video)",
        "transcript": (
            "A 9-second drawn video with no one in it and no speech; a soft, low tone plays "
            "throughout and fades out at the end.\n\n"
            "The scene: an empty wooden bench on a grassy bank beside a lake, under an "
            "evening sky turning from blue to orange.\n\n"
            "Words on screen, one line after another: “A bench by the lake.” “Turning to "
            "watch the sunset” “without holding my chin.”"
        ),
    },
}

TESTIMONIALS = [
    {
        "patient": MARIA,
        "title": "Maria on driving again",
        "quote": "For years I couldn't check my blind spot. A week after my second round of "
        "injections I drove to my sister's without once having to hold my chin.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "condition": DYSTONIA,
        "treatment": BOTOX,
    },
    {
        "patient": MARIA,
        "title": "Anonymous: planning around the three-month cycle",
        "quote": "Knowing the effect lasts about three months, I book the next appointment "
        "before I leave. The pulling in my neck never gets back to where it was.",
        "attribution_style": AttributionStyle.ANONYMOUS,
        "show_town": True,
        "condition": DYSTONIA,
        "treatment": BOTOX,
    },
    {
        "patient": JAMES,
        "title": "James on the first few days",
        "quote": "I expected nothing for weeks. Within a few days the tremor in my head had "
        "settled enough that I could read a whole chapter in one sitting.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "show_town": True,
        "condition": DYSTONIA,
        "treatment": BOTOX,
    },
    {
        "patient": DANIEL,
        "title": "Daniel on marking good days",
        "quote": "I started circling headache-free days on the kitchen calendar. By the fall "
        "there were more circles than blank squares.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "show_town": True,
        "condition": MIGRAINE,
        "treatment": BOTOX,
        "photo": "open-road",
    },
    {
        "patient": PRIYA,
        "title": "Priya on reading again",
        "quote": "The blinking used to win halfway down a page. Now I finish a novel a week "
        "at my book club again.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "condition": BLEPHAROSPASM,
        "treatment": BOTOX,
        "photo": "tea-and-book",
    },
    {
        "patient": ROBERT,
        "title": "Robert on the parallel bars",
        "quote": "My therapist never let me skip the stretches. Those boring ten minutes every "
        "morning are why my foot doesn't drag anymore.",
        "attribution_style": AttributionStyle.FULL_NAME,
        "show_age": True,
        "show_town": True,
        "condition": SPASTICITY,
        "treatment": THERAPY,
        "photo": "walking-figure",
    },
    {
        "patient": DENISE,
        "title": "D. C. on the months after surgery",
        "quote": "Nobody promised me a quick fix, and it wasn't one. Six months after the "
        "stimulator was switched on, I noticed I had stopped holding my chin.",
        "attribution_style": AttributionStyle.INITIALS,
        "condition": DYSTONIA,
        "treatment": DBS,
    },
    {
        "patient": MARCUS,
        "title": "Anonymous: sticking with it to the third round",
        "quote": "The first round barely changed anything and I almost quit. I'm glad my "
        "neurologist talked me into giving it three.",
        "attribution_style": AttributionStyle.ANONYMOUS,
        "show_town": True,
        "condition": MIGRAINE,
        "treatment": BOTOX,
    },
    {
        "patient": HELEN,
        "title": "Helen on her home exercises",
        "quote": "My daughter and I do the hand stretches together after breakfast. The "
        "therapist showed us both, so we can keep going between visits.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "condition": SPASTICITY,
        "treatment": THERAPY,
    },
    {
        "patient": AISHA,
        "title": "Aisha on sleeping through the night",
        "quote": "The shoulder ache used to wake me at three every morning. Now I sleep "
        "through most nights.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "condition": DYSTONIA,
        "treatment": BOTOX,
        "publish": False,  # her consent has expired: the site must refuse it
    },
    {
        "patient": THOMAS,
        "title": "T. B. on his arm after the stroke",
        "quote": "I can straighten my elbow enough to put on a coat by myself.",
        "attribution_style": AttributionStyle.INITIALS,
        "show_age": True,
        "condition": SPASTICITY,
        "publish": False,  # he withdrew his consent: the site must refuse it
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
DANIEL_WORDS = (
    "I used to plan my week around the headaches. "
    "After the second round of injections I started marking good days on the calendar. "
    "I still get migraines, just not most days."
)
PRIYA_WORDS = (
    "Bright light made my eyes clamp shut, sometimes for several seconds. "
    "I had stopped driving and I had stopped reading. "
    "Now I wear sunglasses because I like them, not because I need them."
)
ROBERT_WORDS = (
    "After the stroke my left foot dragged and my toes curled under. "
    "My therapist had me practicing steps between parallel bars. "
    "Eight months later I walked the riverfront trail with my grandson, slowly, but the "
    "whole way."
)
DENISE_WORDS = (
    "The injections helped for years, and then they didn't. "
    "Deciding on brain surgery was the hardest choice I have made. "
    "The change was slow, over months rather than days, but my head now rests straight "
    "most of the day."
)
MARCUS_WORDS = (
    "I was missing two or three days of work a month and spending the rest in a dark room. "
    "By the third round the headaches were fewer and milder. "
    "I went back to full-time hours in the spring."
)
HELEN_WORDS = (
    "My right hand had closed into a fist after the stroke, and it hurt when anyone tried "
    "to open it. "
    "Now I can hold a cup with that hand again."
)
LENA_WORDS = (
    "My eyes would shut on their own in the sun, so I gave up cycling. "
    "This spring I rode to the farmers market and back."
)


def _quote(words, number):
    """The ``number``-th sentence of the approved words, for a pull quote."""
    sentences = [s.strip() for s in words.replace(". ", ".|").split("|")]
    return {"quote": sentences[number]}


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
        "condition": DYSTONIA,
        "treatment": BOTOX,
        "photo": "lakeside",
        "body": [
            ("patient_video", "maria-lakeside"),
            ("heading", "Six years of a pulling neck"),
            (
                "paragraph",
                "<p>Maria's neck muscles began to pull her head to one side in her late "
                "forties. The spasms made reading, driving and even conversation tiring, "
                "and the ache spread into her shoulders.</p>",
            ),
            ("pull_quote", _quote(MARIA_WORDS, 0)),
            ("heading", "The treatment"),
            (
                "paragraph",
                "<p>Her neurologist injected small doses of botulinum toxin into the "
                "overactive muscles, guided by where the pulling was strongest. Results "
                "usually show within days to a week, and the effect wears off over about "
                "three months, so she returns for injections on a regular schedule.</p>",
            ),
            ("pull_quote", _quote(MARIA_WORDS, 1)),
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
        "condition": DYSTONIA,
        "treatment": BOTOX,
        "body": [
            (
                "paragraph",
                "<p>James's cervical dystonia turned his head to the left and added a "
                "slight tremor. After trying oral medicines and physical therapy, he was "
                "offered Botox injections every three months.</p>",
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
    {
        "patient": DANIEL,
        "slug": "daniel-counting-good-days",
        "title": "Counting good days",
        "summary": "Daniel, a high school math teacher, had headaches more days than not. "
        "He describes his first year of preventive injections for chronic migraine.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "show_town": True,
        "approved_text": DANIEL_WORDS,
        "condition": MIGRAINE,
        "treatment": BOTOX,
        "photo": "open-road",
        "body": [
            ("heading", "Headache on 20 days a month"),
            (
                "paragraph",
                "<p>By his early thirties Daniel had a headache on most days of the month, "
                "and several tablets he tried for prevention either did not help or left "
                "him too drowsy to teach. His neurologist diagnosed chronic migraine: "
                "headache on 15 or more days a month, for more than three months.</p>",
            ),
            ("pull_quote", _quote(DANIEL_WORDS, 0)),
            ("heading", "How the injections are given"),
            (
                "paragraph",
                "<p>For chronic migraine, about 30 small injections are spread over the "
                "forehead, temples, the back of the head, the neck and the shoulders, "
                "every 12 weeks. Many people need two or three rounds before they can judge "
                "how well it works, so Daniel kept a headache diary from the start.</p>",
            ),
            ("pull_quote", _quote(DANIEL_WORDS, 1)),
            (
                "paragraph",
                "<p>His neck felt stiff for a few days after the first round, then settled.</p>",
            ),
            ("pull_quote", _quote(DANIEL_WORDS, 2)),
        ],
    },
    {
        "patient": PRIYA,
        "slug": "priya-keeping-my-eyes-open",
        "title": "Keeping my eyes open",
        "summary": "Blepharospasm made Priya's eyelids squeeze shut in bright light. She "
        "explains how treatment let her read and drive again.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "approved_text": PRIYA_WORDS,
        "condition": BLEPHAROSPASM,
        "treatment": BOTOX,
        "photo": "tea-and-book",
        "body": [
            (
                "paragraph",
                "<p>Priya first thought she simply blinked a lot. Over two years the "
                "blinking turned into spasms that closed both eyes, worst in sunshine and "
                "when she was tired. An ophthalmologist referred her to the clinic, where a "
                "neurologist diagnosed benign essential blepharospasm.</p>",
            ),
            ("pull_quote", _quote(PRIYA_WORDS, 0)),
            ("heading", "Small injections around the eyes"),
            (
                "paragraph",
                "<p>The injections go into the muscle that closes the eyelids, at a few "
                "points above and below each eye. The effect began within a week and lasts "
                "about three months. After her first session one eyelid drooped slightly "
                "for two weeks, and she uses lubricating eye drops for dryness.</p>",
            ),
            ("pull_quote", _quote(PRIYA_WORDS, 1)),
            ("pull_quote", _quote(PRIYA_WORDS, 2)),
        ],
    },
    {
        "patient": ROBERT,
        "slug": "robert-back-on-the-riverfront-trail",
        "title": "Back on the riverfront trail",
        "summary": "A stroke left Robert's left leg stiff and his foot dragging. Eight "
        "months of physical therapy later, he walked his favorite trail again.",
        "attribution_style": AttributionStyle.FULL_NAME,
        "show_age": True,
        "show_town": True,
        "approved_text": ROBERT_WORDS,
        "condition": SPASTICITY,
        "treatment": THERAPY,
        "photo": "walking-figure",
        "body": [
            (
                "paragraph",
                "<p>Weeks after his stroke, the muscles in Robert's left calf and foot "
                "tightened so that his toes curled and his ankle turned inward. Spasticity "
                "like this is common after a stroke and can make walking slow and "
                "unsafe.</p>",
            ),
            ("pull_quote", _quote(ROBERT_WORDS, 0)),
            ("heading", "Twice a week with a physical therapist"),
            (
                "paragraph",
                "<p>His therapy combined daily stretching of the calf muscles, "
                "strengthening, balance work and gait training, and a lightweight ankle "
                "brace kept his foot from catching on the ground.</p>",
            ),
            ("pull_quote", _quote(ROBERT_WORDS, 1)),
            ("pull_quote", _quote(ROBERT_WORDS, 2)),
        ],
    },
    {
        "patient": DENISE,
        "slug": "when-injections-were-no-longer-enough",
        "title": "When injections were no longer enough",
        "summary": "After years of injections for cervical dystonia stopped helping, one "
        "patient chose deep brain stimulation. She describes a slow, steady change.",
        "attribution_style": AttributionStyle.INITIALS,
        "approved_text": DENISE_WORDS,
        "condition": DYSTONIA,
        "treatment": DBS,
        "body": [
            ("pull_quote", _quote(DENISE_WORDS, 0)),
            (
                "paragraph",
                "<p>When botulinum toxin injections stop controlling cervical dystonia, "
                "deep brain stimulation of the globus pallidus is one option. A "
                "neurosurgeon placed the electrodes; a neurologist then adjusted the "
                "stimulator's settings at visits over the following months.</p>",
            ),
            ("pull_quote", _quote(DENISE_WORDS, 1)),
            (
                "paragraph",
                "<p>Unlike the injections, the benefit of stimulation for dystonia builds "
                "gradually, often over several months.</p>",
            ),
            ("pull_quote", _quote(DENISE_WORDS, 2)),
        ],
    },
    {
        "patient": MARCUS,
        "slug": "back-at-work-full-time",
        "title": "Back at work full time",
        "summary": "A warehouse supervisor on living with chronic migraine, and on giving "
        "preventive injections three rounds before judging them.",
        "attribution_style": AttributionStyle.ANONYMOUS,
        "show_town": True,
        "approved_text": MARCUS_WORDS,
        "condition": MIGRAINE,
        "treatment": BOTOX,
        "body": [
            ("pull_quote", _quote(MARCUS_WORDS, 0)),
            (
                "paragraph",
                "<p>He had tried two preventive tablets before his neurologist suggested "
                "injections every 12 weeks. The first round made little difference, which "
                "is not unusual: the full effect often takes two or three rounds.</p>",
            ),
            ("pull_quote", _quote(MARCUS_WORDS, 1)),
            ("pull_quote", _quote(MARCUS_WORDS, 2)),
        ],
    },
    {
        "patient": HELEN,
        "slug": "helen-opening-my-hand",
        "title": "Opening my hand again",
        "summary": "After a stroke, Helen's right hand curled into a tight fist. Told with "
        "her daughter's help, her story of injections and daily stretches.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "show_age": True,
        "approved_text": HELEN_WORDS,
        "condition": SPASTICITY,
        "treatment": BOTOX,
        "photo": "trail",
        "body": [
            ("pull_quote", _quote(HELEN_WORDS, 0)),
            (
                "paragraph",
                "<p>Her neurologist injected the muscles that bend the elbow, wrist and "
                "fingers. As they loosened over the following weeks, an occupational "
                "therapist fitted a resting splint and taught Helen and her daughter "
                "stretches to keep the hand open between treatments.</p>",
            ),
            ("pull_quote", _quote(HELEN_WORDS, 1)),
        ],
    },
    {
        "patient": LENA,
        "slug": "lena-riding-again",
        "title": "Riding again",
        "summary": "Lena on blepharospasm and getting back on her bicycle.",
        "attribution_style": AttributionStyle.FIRST_NAME_INITIAL,
        "approved_text": LENA_WORDS,
        "condition": BLEPHAROSPASM,
        "photo": "bicycle",
        "publish": False,  # her consent is not verified yet: the site must refuse it
        "body": [
            ("pull_quote", _quote(LENA_WORDS, 0)),
            ("pull_quote", _quote(LENA_WORDS, 1)),
        ],
    },
]


def load():
    home = Site.objects.get(is_default_site=True).root_page
    conditions = {c.slug: c for c in Condition.objects.all()}
    treatments = {t.slug: t for t in Treatment.objects.all()}
    consents = {
        name: Consent.objects.filter(patient__legal_name=name).order_by("-signed_at").first()
        for name in PATIENTS
    }
    lines = ["Patient stories and testimonials:"]
    if not all(consents.values()):
        return [*lines, "  (demo consents missing: run consent.demo first; skipped)"]

    def about(spec, consent):
        condition = conditions.get(spec.get("condition"))
        treatment = treatments.get(spec.get("treatment"))
        covered = "treatment" in consent.identifiers
        return {"condition": condition, "treatment": treatment if covered else None}

    testimonials, outcomes = [], []
    for spec in TESTIMONIALS:
        consent = consents[spec["patient"]]
        testimonial, state = _testimonial(spec, consent, about(spec, consent))
        testimonials.append(testimonial)
        outcomes.append(("testimonial", testimonial.title, state))

    index = _page(
        home,
        StoryIndexPage,
        slug="patient-stories",
        title="Patient stories",
        intro="People treated at the clinic describe, in their own words, living with "
        "cervical dystonia, chronic migraine, blepharospasm or spasticity after a stroke, "
        "and what treatment changed for them.",
    )
    if not index.featured:
        index.featured = [("testimonial", t) for t in testimonials[:3]]
        index = publish_through_workflow(index)
    listing = _page(
        home,
        TestimonialIndexPage,
        slug="testimonials",
        title="What patients say",
        intro="Short accounts from patients treated at the clinic for movement disorders, "
        "migraine and spasticity.",
    )
    lines.append(f"  Stories: http://127.0.0.1:8000{index.url}")
    lines.append(f"  Testimonials: http://127.0.0.1:8000{listing.url}")
    for spec in STORIES:
        consent = consents[spec["patient"]]
        story, state = _story(index, spec, consent, about(spec, consent))
        outcomes.append(("story", story.title, state))
    live = [kind for kind, _, state in outcomes if state == "live"]
    lines.append(
        f"  live: {live.count('story')} stories, {live.count('testimonial')} testimonials"
    )
    # What is not live says why: the refusals are part of the demo.
    lines.extend(f"  {title}: {state}" for _, title, state in outcomes if state != "live")
    return lines


def _page(home, model, slug, **fields):
    page = model.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=model(slug=slug, show_in_menus=True, live=False, **fields))
        page = publish_through_workflow(page)
    return page


def _photo(patient, name):
    """The patient's private photo holding the named illustration, made once."""
    if not name:
        return None
    title = PHOTOS[name]
    photo = PatientPhoto.objects.filter(patient=patient, title=title).first()
    if photo is None:
        photo = PatientPhoto.objects.create(
            title=title,
            patient=patient,
            description=title,
            file=ContentFile(picture(name), name=f"demo-{name}.png"),
        )
    return photo


def _video(patient, name):
    """The patient's private video from the clip in demo_media/, made once."""
    spec = VIDEOS[name]
    media = PatientMedia.objects.filter(patient=patient, title=spec["title"]).first()
    if media is None:
        media = PatientMedia(
            title=spec["title"],
            patient=patient,
            transcript=spec["transcript"],
            file=ContentFile((DEMO_MEDIA / f"{name}.mp4").read_bytes(), name=f"{name}.mp4"),
            captions=ContentFile((DEMO_MEDIA / f"{name}.vtt").read_bytes(), name=f"{name}.vtt"),
        )
        try:
            media.full_clean()  # the upload checks, as in the admin
        except ValidationError:
            return None  # no ffprobe here: the story goes without its clip
        media.save()
    return media


def _testimonial(spec, consent, about):
    fields = {
        k: v
        for k, v in spec.items()
        if k not in ("patient", "title", "publish", "condition", "treatment", "photo")
    }
    testimonial = Testimonial.objects.filter(title=spec["title"]).first()
    if testimonial is None:
        testimonial = Testimonial.objects.create(
            title=spec["title"],
            consent=consent,
            approved_text=spec["quote"],
            approved_on=timezone.localdate(),
            photo=_photo(consent.patient, spec.get("photo")),
            live=False,
            **about,
            **fields,
        )
        testimonial.save_revision()
    return testimonial, _go_live(testimonial, spec.get("publish", True))


def _story(index, spec, consent, about):
    story = PatientStoryPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if story is None:
        skip = ("patient", "body", "condition", "treatment", "photo", "publish")
        fields = {k: v for k, v in spec.items() if k not in skip}
        photo = _photo(consent.patient, spec.get("photo"))
        body = [
            (kind, _video(consent.patient, value) if kind == "patient_video" else value)
            for kind, value in spec["body"]
        ]
        body = [(kind, value) for kind, value in body if value is not None]
        story = index.add_child(
            instance=PatientStoryPage(
                consent=consent,
                body=body,
                approved_on=timezone.localdate(),
                hero_image=photo,
                hero_image_alt=PHOTOS[spec["photo"]] if photo else "",
                live=False,
                **about,
                **fields,
            )
        )
        story.save_revision()
    return story, _go_live(story, spec.get("publish", True))


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
