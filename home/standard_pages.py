"""The words of the demo's standard pages (home.demo): US English, US rules (HIPAA),
the demo's default jurisdiction."""

PAGES = [
    {
        "slug": "how-consent-works",
        "title": "How consent and withdrawal work",
        "intro": (
            "Every story and quote on this site is published with the patient's written "
            "permission, only for as long as that permission lasts, and comes down as soon "
            "as it is withdrawn."
        ),
        "body": (
            "<h2>Before anything is published</h2>"
            "<p>A patient who wants to share their experience signs an authorization. It "
            "lists, one by one, the details we may show (for example first name and initial, "
            "age, town, a photo), where we may show them (this website, social media, email, "
            "print) and the date the authorization ends. Nothing without an end date is "
            "accepted.</p>"
            "<p>Your treatment never depends on signing. The authorization tells you this, "
            "explains how to withdraw, and says whether the clinic receives anything in "
            "return. You get a copy.</p>"
            "<p>A consent officer checks every signed authorization before it counts. A "
            "clinician then reviews the story for accuracy, and a second person approves it "
            "before it goes live.</p>"
            "<h2>What we show</h2>"
            "<ul><li>Only the details the authorization covers, and your words exactly as "
            "you approved them.</li>"
            "<li>If you received treatment at no cost or at a discount, or you work for the "
            "clinic, we say so next to your story.</li>"
            "<li>Each story says that individual experiences vary: your results may not be "
            "typical.</li></ul>"
            "<h2>Withdrawing your consent</h2>"
            "<p>You can withdraw at any time, for any reason, with one click: the link is in "
            "the email with your copy of the authorization. You can also tell any member of "
            "staff. You do not need to explain why.</p>"
            "<p>As soon as a withdrawal is recorded, your story and quotes are taken off "
            "every page, listing, search result and feed of this site, and we confirm it to "
            "you. When an authorization reaches its end date, the same happens "
            "automatically.</p>"
            "<p>We cannot recall copies that other people made while your story was public, "
            "such as a screenshot or a shared post. The authorization explains this before "
            "you sign.</p>"
            "<h2>What we keep</h2>"
            "<p>The law requires us to keep the signed authorization, and the record of any "
            "withdrawal, for six years after it was last in effect (45 CFR 164.530(j)). We "
            "keep nothing else: on request we delete your story, your quotes and your photos, "
            "including earlier drafts.</p>"
        ),
    },
    {
        "slug": "privacy-notice",
        "title": "Privacy notice",
        "intro": (
            "What this website collects, why, who sees it and how long we keep it. Your "
            "medical records are covered by our separate Notice of Privacy Practices."
        ),
        "body": (
            "<h2>What we collect</h2>"
            "<p>Reading this site, you give us nothing but the request your browser makes. "
            "We use no advertising or analytics cookies and load nothing from other "
            "companies.</p>"
            "<p>If you use the Share your story form, we collect what you type: your name, "
            "how to reach you, your story and any photo you send, and the technical details "
            "of your electronic signature (time, IP address and browser).</p>"
            "<h2>Why we collect it</h2>"
            "<p>Only to contact you about your story, to prepare the authorization you would "
            "sign, and to keep evidence of what you agreed to. We never sell it or use it "
            "for anything else.</p>"
            "<h2>Who sees it</h2>"
            "<p>Your contact details and signed forms are seen only by our consent "
            "officers. Editors and reviewers see the story itself, and the public sees only "
            "what your authorization allows.</p>"
            "<h2>How long we keep it</h2>"
            "<p>Signed authorizations: six years after they were last in effect, as HIPAA "
            "requires. A story you shared but that was never published: deleted after one "
            "year, or sooner if you ask.</p>"
            "<h2>Your rights</h2>"
            "<p>You can ask to see what we hold about you, to correct it, or to delete your "
            "story. Contact us using the details at the foot of every page.</p>"
        ),
    },
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "intro": "We want everyone to be able to read and use this website.",
        "body": (
            "<h2>What we aim for</h2>"
            "<p>This site aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 "
            "at level AA. You should be able to:</p>"
            "<ul><li>use every page and form with a keyboard alone;</li>"
            "<li>zoom to 400% without text spilling off the screen;</li>"
            "<li>read every page on a phone without scrolling sideways;</li>"
            "<li>use a screen reader: images have text alternatives and diagrams are "
            "described in words;</li>"
            "<li>print any page without the menus.</li></ul>"
            "<h2>How we test it</h2>"
            "<p>Every change is checked automatically with the axe accessibility engine in a "
            "real browser, at desktop and phone widths, and by keyboard.</p>"
            "<h2>Known limitations</h2>"
            "<p>Some older patient videos may not have captions yet. If you need a "
            "transcript, contact us and we will send one.</p>"
            "<h2>Tell us about a problem</h2>"
            "<p>If something on this site is hard to use, contact us using the details at "
            "the foot of every page. We reply within five working days.</p>"
        ),
    },
]
