"""Demo treatment articles (Botox for cervical dystonia), written afresh from the facts of
two public articles, and the conditions and treatments the demo stories are about. Safe
to run again: everything is looked up by its slug or name."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from articles.models import ArticleIndexPage, TreatmentArticlePage
from moderation.testing import publish_through_workflow
from taxonomy.models import Condition, Reviewer, Treatment

ACCESSED = "2025-03-03"

CERVICAL_DYSTONIA = {
    "name": "Cervical dystonia",
    "slug": "cervical-dystonia",
    "summary": (
        "Cervical dystonia (also called spasmodic torticollis) is a neurological condition in "
        "which neck muscles tighten on their own. The head may turn, tilt or jerk, and the neck "
        "and shoulders often ache."
    ),
    "symptoms": "\n".join(
        [
            "Neck muscles that tighten or spasm without you meaning them to",
            "The head turning, tilting forwards, backwards or to one side",
            "Difficulty holding the head straight",
            "Neck pain and stiffness",
            "Pain in the shoulders and upper back",
            "Headaches",
            "Occasionally, trouble speaking or swallowing",
        ]
    ),
}

BOTULINUM_TOXIN = {
    "name": "Botulinum toxin type A",
    "slug": "botulinum-toxin-type-a",
    "brand_names": "Botox",
    "prescription_only": True,
    "how_it_works": (
        "<p>Botox (onabotulinumtoxinA) is a prescription medicine. "
        "Nerves tell muscles to contract by releasing a chemical messenger called "
        "<b>acetylcholine</b>. Botulinum toxin type A stops the nerve endings in the injected "
        "muscle from releasing it, so the muscle relaxes. The effect is local and wears off "
        "over a few months as the nerve endings recover. In the US it is approved for "
        "cervical dystonia, chronic migraine, spasticity and blepharospasm, among other "
        "uses.</p>"
    ),
    "safety_information": (
        "<h3>Boxed warning: distant spread of toxin effect</h3>"
        "<p>The effects of Botox may spread beyond the injected area, hours to weeks after an "
        "injection. This can cause general muscle weakness, double or blurred vision, drooping "
        "eyelids, a hoarse or changed voice, slurred speech, loss of bladder control and "
        "<b>problems swallowing or breathing, which can be life threatening</b>. Deaths have "
        "been reported. Get medical help at once if any of these happen.</p>"
        "<p>Do not have Botox if you are allergic to any botulinum toxin product or have an "
        "infection where it would be injected. Tell your doctor about all your medicines and "
        "any muscle or nerve conditions, and about swallowing or breathing problems.</p>"
        "<p>Side effects seen in people treated for cervical dystonia include difficulty "
        "swallowing, upper respiratory infection, neck pain and headache; for chronic "
        "migraine, neck pain and headache; for spasticity, pain in the arms or legs; for "
        "blepharospasm, drooping eyelids, dry eyes and irritation.</p>"
    ),
}

CHRONIC_MIGRAINE = {
    "name": "Chronic migraine",
    "slug": "chronic-migraine",
    "summary": (
        "Chronic migraine means headache on 15 or more days a month for more than three "
        "months, with migraine features on at least eight of those days. It often disrupts "
        "work, sleep and family life."
    ),
    "symptoms": "\n".join(
        [
            "Throbbing or pulsing headache, often on one side",
            "Sensitivity to light, sound or smells",
            "Nausea or vomiting",
            "Visual disturbances (aura) before some attacks",
            "Tiredness and trouble concentrating between attacks",
        ]
    ),
}

POST_STROKE_SPASTICITY = {
    "name": "Spasticity after stroke",
    "slug": "spasticity-after-stroke",
    "summary": (
        "After a stroke, damaged pathways in the brain can leave muscles in an arm or leg "
        "stiff and tight. The elbow, wrist and fingers may curl, or the ankle turn inward, "
        "making everyday movements and care harder."
    ),
    "symptoms": "\n".join(
        [
            "Stiff, tight muscles that resist stretching",
            "A bent elbow, clenched fist or curled fingers",
            "An ankle that points down or turns inward when walking",
            "Painful muscle spasms",
            "Difficulty washing, dressing or keeping the palm clean",
        ]
    ),
}

BLEPHAROSPASM = {
    "name": "Blepharospasm",
    "slug": "blepharospasm",
    "summary": (
        "Benign essential blepharospasm is a focal dystonia of the muscles around the eyes. "
        "The eyelids blink, twitch or close on their own, and in some people stay shut long "
        "enough to make reading or driving unsafe."
    ),
    "symptoms": "\n".join(
        [
            "Blinking more often than usual",
            "Eyelids that twitch or squeeze shut on their own",
            "Eye irritation, dryness or sensitivity to light",
            "Symptoms worse with bright light, tiredness or stress",
        ]
    ),
}

PHYSICAL_THERAPY = {
    "name": "Physical therapy",
    "slug": "physical-therapy",
    "how_it_works": (
        "<p>A physical therapist teaches stretches, strengthening and posture exercises "
        "matched to the muscles involved. Therapy is often timed for the weeks after an "
        "injection, when the muscles are relaxed enough to retrain.</p>"
    ),
}

DEEP_BRAIN_STIMULATION = {
    "name": "Deep brain stimulation",
    "slug": "deep-brain-stimulation",
    "how_it_works": (
        "<p>A neurosurgeon places thin electrodes in a deep part of the brain (for dystonia, "
        "usually the globus pallidus) and connects them to a small pulse generator under the "
        "skin of the chest. Gentle electrical pulses calm the abnormal signals. It is "
        "considered when injections and medicines no longer control symptoms, and the "
        "settings are adjusted over several months.</p>"
    ),
}

CONDITIONS = [CERVICAL_DYSTONIA, CHRONIC_MIGRAINE, POST_STROKE_SPASTICITY, BLEPHAROSPASM]
TREATMENTS = [BOTULINUM_TOXIN, PHYSICAL_THERAPY, DEEP_BRAIN_STIMULATION]

REVIEWER = {
    "name": "Rosa Reyes",
    "former_names": ["Dr Rosa Reyes"],  # the name earlier demos gave her
    "credentials": "MD",
    "specialty": "Neurology (movement disorders)",
    "username": "reviewer",  # moderation.demo's clinical reviewer
}

SOURCES = {
    "medlineplus": {
        "title": "Cervical dystonia",
        "publisher": "MedlinePlus Genetics, U.S. National Library of Medicine",
        "url": "https://medlineplus.gov/genetics/condition/cervical-dystonia/",
        "accessed": ACCESSED,
    },
    "dmrf": {
        "title": "What is dystonia?",
        "publisher": "Dystonia Medical Research Foundation",
        "url": "https://dystonia-foundation.org/what-is-dystonia/",
        "accessed": ACCESSED,
    },
    "nhs": {
        "title": "Dystonia",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/dystonia/",
        "accessed": ACCESSED,
    },
    "label": {
        "title": "BOTOX (onabotulinumtoxinA) full prescribing information",
        "publisher": "AbbVie",
        "url": "https://www.rxabbvie.com/pdf/botox_pi.pdf",
        "accessed": ACCESSED,
    },
}


def heading(text, anchor=""):
    return {"type": "section_heading", "value": {"heading": text, "anchor": anchor}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def bullets(*items):
    return {"type": "bulleted_list", "value": [f"<p>{item}</p>" for item in items]}


def site(muscle, function, reason):
    return {"muscle": muscle, "function": function, "reason": reason, "diagram": None}


def sources(*keys):
    return {"type": "sources", "value": [SOURCES[key] for key in keys]}


GUIDE_BODY = [
    heading("What cervical dystonia is", "what-it-is"),
    paragraph(
        "<p>Cervical dystonia is a movement disorder: the brain sends the neck muscles signals "
        "to contract when they should be at rest. The result is a head that pulls, twists or "
        "tilts into positions the person did not choose, sometimes with jerking or tremor, and "
        "often with pain.</p>"
    ),
    paragraph("<p>People describe a mix of the following, which can vary from day to day:</p>"),
    bullets(
        "involuntary spasms in the neck muscles",
        "the head turning or tilting to one side, forwards or backwards",
        "neck pain and a stiff neck that moves less than it used to",
        "aching shoulders and upper back, and headaches",
        "less often, difficulty speaking or swallowing",
    ),
    paragraph(
        "<p>Everyday tasks such as driving, reading or holding a conversation can become tiring. "
        "Treatment may combine physical therapy, oral medicines, nerve blocks and injections of "
        "botulinum toxin, which are the usual first choice.</p>"
    ),
    heading("How the injections work", "how-it-works"),
    paragraph(
        "<p>Botulinum toxin type A is a purified protein. Injected into an overactive muscle, it "
        "blocks the release of acetylcholine, the messenger a nerve uses to tell a muscle to "
        "contract. The muscle relaxes, so spasms become weaker and less frequent and the head "
        "can rest in a more natural position.</p>"
    ),
    heading("Where it is injected", "injection-sites"),
    paragraph(
        "<p>Your clinician chooses the muscles from how your head moves, where it hurts, and "
        "sometimes from ultrasound or electromyography (EMG). The muscles most often treated "
        "are:</p>"
    ),
    {
        "type": "injection_sites",
        "value": [
            site(
                "Sternocleidomastoid",
                "Runs down each side of the neck from behind the ear to the breastbone and "
                "collarbone; it turns the head to the opposite side and tilts it.",
                "Overactivity turns the chin away from the tight side (rotational torticollis).",
            ),
            site(
                "Scalenes",
                "Three muscles joining the neck vertebrae to the first ribs; they bend the neck "
                "sideways and help lift the ribs when breathing hard.",
                "Tight scalenes tilt the head toward the shoulder (laterocollis).",
            ),
            site(
                "Levator scapulae",
                "Connects the upper neck vertebrae to the top of the shoulder blade; it raises "
                "the shoulder and tilts the neck.",
                "Injected when a raised shoulder and a sideways tilt are part of the posture.",
            ),
            site(
                "Splenius capitis",
                "A broad strap at the back of the neck; it turns the head to the same side and "
                "tilts it back.",
                "One of the muscles most often involved when the head rotates.",
            ),
            site(
                "Trapezius (upper fibers)",
                "The large muscle over the top of the shoulders; it lifts the shoulders and "
                "extends the neck.",
                "Treated when the shoulder is elevated or the head pulls backwards.",
            ),
            site(
                "Semispinalis capitis",
                "A deep muscle along the back of the neck that tips the head backwards.",
                "Injected when the head is drawn back (retrocollis).",
            ),
        ],
    },
    heading("When it starts working and how long it lasts", "onset-and-duration"),
    paragraph(
        "<p>Most people notice less pulling and pain within a few days to a week, with the full "
        "effect at around two weeks. Relief usually lasts about three months, after which the "
        "nerve endings recover and symptoms return, so injections are repeated, typically no "
        "more often than every 12 weeks. Doses are adjusted at each visit.</p>"
    ),
    heading("Side effects", "side-effects"),
    paragraph(
        "<p>The most common side effects after neck injections are difficulty swallowing, neck "
        "pain or weakness, soreness where the needle went in, headache and cold-like symptoms. "
        "They are usually mild and pass within a few weeks. Read the Important Safety "
        "Information at the top of this page, and tell your clinician straight away about any "
        "trouble swallowing, speaking or breathing.</p>"
    ),
    heading("Cost and insurance", "cost-and-insurance"),
    paragraph(
        "<p>The cost depends on the dose, the number of muscles treated and where you are "
        "treated. Because cervical dystonia is an approved medical use, most health insurers, "
        "including Medicare, cover the injections, often after prior authorization. Ask your "
        "insurer what your plan pays, and ask the manufacturer about savings programs.</p>"
    ),
    {
        "type": "callout",
        "value": {
            "title": "Before your first appointment",
            "text": "<p>Write down which movements bother you most and when they are worse: "
            "it helps your clinician choose the muscles to treat.</p>",
        },
    },
    heading("Sources"),
    sources("medlineplus", "dmrf", "label"),
]

BENEFITS_BODY = [
    paragraph(
        "<p>Botox is approved by the US Food and Drug Administration to treat cervical "
        "dystonia in adults, and guidelines recommend botulinum toxin as the first treatment "
        "to try. Here is what it can, and cannot, do.</p>"
    ),
    heading("The benefits at a glance", "benefits"),
    {
        "type": "table",
        "value": {
            "caption": "Benefits of Botox for cervical dystonia",
            "columns": [
                {"type": "text", "heading": "Benefit"},
                {"type": "rich_text", "heading": "What it means for you"},
            ],
            "rows": [
                {
                    "values": [
                        "Fewer muscle contractions",
                        "<p>Relaxed muscles spasm less, so the head is pulled into "
                        "abnormal positions less often.</p>",
                    ]
                },
                {
                    "values": [
                        "Less pain",
                        "<p>Neck and shoulder pain eases as the muscles stop working "
                        "against each other.</p>",
                    ]
                },
                {
                    "values": [
                        "Better range of movement",
                        "<p>A looser neck turns and bends more freely.</p>",
                    ]
                },
                {
                    "values": [
                        "Better quality of life",
                        "<p>With movements back under control, daily activities and time "
                        "with other people become easier.</p>",
                    ]
                },
            ],
        },
    },
    heading("1. It is backed by clinical trials", "evidence"),
    paragraph(
        "<p>Controlled trials have shown that botulinum toxin injections reduce the severity "
        "of cervical dystonia, its pain and the disability it causes, compared with "
        "placebo.</p>"
    ),
    heading("2. It acts where the problem is", "targeted"),
    paragraph(
        "<p>The injection works at the junction between nerve and muscle, in the muscles your "
        "clinician chooses, by stopping the release of the chemical that makes them "
        "contract.</p>"
    ),
    heading("3. It helps the head sit straighter", "head-position"),
    paragraph(
        "<p>By relaxing the muscles that hold the head tilted or turned, treatment lets many "
        "people keep a more natural posture, which can also help with self-confidence.</p>"
    ),
    heading("4. It eases pain", "pain"),
    paragraph(
        "<p>Pain often improves as spasms lessen, and some people can rely less on pain "
        "medicines.</p>"
    ),
    heading("5. Treatment can be repeated", "repeat-treatment"),
    paragraph(
        "<p>The effect wears off after about three months, so injections are repeated at "
        "regular intervals, usually every 12 weeks or longer. Your clinician keeps the dose as "
        "low as works for you, which lowers the risk of side effects and of the body making "
        "antibodies against the toxin.</p>"
    ),
    {
        "type": "callout",
        "value": {
            "title": "Results vary",
            "text": "<p>How much benefit you get, and for how long, differs from person to "
            "person. Doses and timing are tailored to you.</p>",
        },
    },
    heading("Questions people ask", "faq"),
    {
        "type": "faq",
        "value": {
            "question": "Will I need injections for life?",
            "answer": "<p>Cervical dystonia is usually long-lasting, and the effect of each "
            "treatment wears off, so most people continue with repeat injections. Some have "
            "periods when symptoms settle.</p>",
        },
    },
    {
        "type": "faq",
        "value": {
            "question": "Does the injection hurt?",
            "answer": "<p>A fine needle is used and the injections take a few minutes. Some "
            "soreness afterwards is common and passes.</p>",
        },
    },
    heading("Sources"),
    sources("medlineplus", "nhs", "label"),
]

ARTICLES = [
    {
        "slug": "botox-for-cervical-dystonia",
        "title": "Botox for cervical dystonia: how it works and where it is injected",
        "summary": "What cervical dystonia is, how botulinum toxin injections relax the neck "
        "muscles, which muscles are treated, and what to expect afterwards.",
        "body": GUIDE_BODY,
    },
    {
        "slug": "benefits-of-botox-for-cervical-dystonia",
        "title": "Five benefits of Botox for cervical dystonia",
        "summary": "How botulinum toxin injections can reduce spasms and pain and improve "
        "posture and movement in cervical dystonia.",
        "body": BENEFITS_BODY,
    },
]


def load():
    home = Site.objects.get(is_default_site=True).root_page
    # Every condition and treatment the demo stories are about; the articles cover one.
    for spec in CONDITIONS:
        _published(Condition, slug=spec["slug"], defaults=spec)
    for spec in TREATMENTS:
        _published(Treatment, slug=spec["slug"], defaults=spec)
    condition = Condition.objects.get(slug=CERVICAL_DYSTONIA["slug"])
    treatment = Treatment.objects.get(slug=BOTULINUM_TOXIN["slug"])
    reviewer = _reviewer()
    index = _index(home)
    lines = [f"Treatment articles: http://127.0.0.1:8000{index.url}"]
    for spec in ARTICLES:
        article = _article(index, spec, condition, treatment, reviewer)
        lines.append(f"  {article.title}: {'live' if article.live else 'draft'}")
    return lines


def _reviewer():
    names = [REVIEWER["name"], *REVIEWER["former_names"]]
    reviewer = Reviewer.objects.filter(name__in=names).first()
    if reviewer is None:
        user = get_user_model().objects.filter(username=REVIEWER["username"]).first()
        linked = user if user and not Reviewer.objects.filter(user=user).exists() else None
        reviewer = Reviewer.objects.create(
            name=REVIEWER["name"],
            credentials=REVIEWER["credentials"],
            specialty=REVIEWER["specialty"],
            user=linked,
            live=False,
        )
    return reviewer if reviewer.live else publish_through_workflow(reviewer)


def _published(model, defaults, **lookup):
    """The live one matching ``lookup``; made from ``defaults`` and taken through its
    workflow if there is none yet (or only a draft)."""
    found = model.objects.filter(**lookup).first()
    if found is None:
        found = model.objects.create(**{**defaults, **lookup, "live": False})
    return found if found.live else publish_through_workflow(found)


def _index(home):
    index = ArticleIndexPage.objects.child_of(home).filter(slug="articles").first()
    if index is None:
        index = home.add_child(
            instance=ArticleIndexPage(
                title="Treatment articles",
                slug="articles",
                intro="<p>Clear, clinically reviewed information about the conditions we "
                "treat and the treatments we offer.</p>",
                show_in_menus=True,
                live=False,
            )
        )
        index = publish_through_workflow(index)
    return index


def _article(index, spec, condition, treatment, reviewer):
    article = TreatmentArticlePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if article is None:
        last_reviewed = timezone.localdate() - datetime.timedelta(days=14)
        article = TreatmentArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=spec["body"],
            reviewer=reviewer,
            last_reviewed=last_reviewed,
            live=False,
        )
        index.add_child(instance=article)
        article.conditions.set([condition])
        article.treatments.set([treatment])
        article.save()
    # An editor may have it in review already: leave their workflow alone.
    if not article.live and not article.workflow_in_progress:
        article = publish_through_workflow(article)
    return article
