import json

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from wagtail_factories import ImageFactory

from articles.blocks import ArticleBodyBlock

BODY = ArticleBodyBlock()

SOURCE = {
    "title": "Cervical dystonia",
    "publisher": "MedlinePlus",
    "url": "https://medlineplus.gov/genetics/condition/cervical-dystonia/",
    "accessed": "2025-01-10",
}
TABLE = {
    "caption": "Benefits of treatment",
    "columns": [
        {"type": "text", "heading": "Benefit"},
        {"type": "rich_text", "heading": "Description"},
    ],
    "rows": [{"values": ["Pain relief", "<p>Less neck pain.</p>"]}],
}


def render(block_type, value):
    stream = BODY.to_python([{"type": block_type, "value": value}])
    return stream[0].render()


def errors(*blocks):
    """The validation messages of a body made of ``blocks`` (type, raw value), as text."""
    stream = BODY.to_python([{"type": t, "value": v} for t, v in blocks])
    try:
        BODY.clean(stream)
    except ValidationError as error:
        return json.dumps(error.as_json_data(), ensure_ascii=False)
    return ""


class BlockRenderingTests(TestCase):  # image blocks bulk-fetch images
    def test_section_heading_gets_an_anchor_from_its_heading_or_its_own(self):
        self.assertHTMLEqual(
            render("section_heading", {"heading": "Side effects", "anchor": ""}),
            '<h2 id="side-effects" class="section-heading">Side effects</h2>',
        )
        self.assertIn('id="risks"', render("section_heading", {"heading": "X", "anchor": "risks"}))

    def test_paragraph_renders_its_rich_text(self):
        self.assertInHTML(
            "<p>Relaxes <b>muscles</b>.</p>", render("paragraph", "<p>Relaxes <b>muscles</b>.</p>")
        )

    def test_lists_render_as_bulleted_and_numbered_lists(self):
        bulleted = render("bulleted_list", ["<p>Neck pain</p>", "<p>Head tilt</p>"])
        self.assertIn('<ul class="article-list">', bulleted)
        self.assertEqual(bulleted.count("<li>"), 2)
        self.assertIn('<ol class="article-list">', render("numbered_list", ["<p>First</p>"]))

    def test_table_has_caption_column_headers_and_row_headers(self):
        html = render("table", TABLE)
        self.assertInHTML("<caption>Benefits of treatment</caption>", html)
        self.assertInHTML('<th scope="col">Benefit</th>', html)
        self.assertInHTML('<th scope="row">Pain relief</th>', html)
        self.assertInHTML("<td><p>Less neck pain.</p></td>", html)

    def test_injection_sites_name_the_muscle_what_it_does_and_why(self):
        html = render(
            "injection_sites",
            [
                {
                    "muscle": "Sternocleidomastoid",
                    "function": "Turns the head.",
                    "reason": "Overactive in rotational torticollis.",
                    "diagram": None,
                }
            ],
        )
        self.assertInHTML(
            '<h3><span class="injection-site__number" aria-hidden="true">1</span>'
            "Sternocleidomastoid</h3>",
            html,
        )
        self.assertInHTML("<dt>What it does</dt>", html)
        self.assertInHTML("<dd>Overactive in rotational torticollis.</dd>", html)

    def test_callout_and_faq(self):
        callout = render("callout", {"title": "Results vary", "text": "<p>Doses differ.</p>"})
        self.assertIn('role="note"', callout)
        self.assertIn("Results vary", callout)
        faq = render("faq", {"question": "Does it hurt?", "answer": "<p>A little.</p>"})
        self.assertInHTML('<h3 class="faq__question">Does it hurt?</h3>', faq)

    def test_sources_list_title_publisher_link_and_date_accessed(self):
        html = render("sources", [SOURCE])
        self.assertIn(f'href="{SOURCE["url"]}"', html)
        self.assertIn("MedlinePlus", html)
        self.assertIn("Accessed January 10, 2025", html)


class BlockValidationTests(SimpleTestCase):
    def test_a_complete_body_is_valid(self):
        self.assertEqual(
            errors(
                ("section_heading", {"heading": "Benefits"}),
                ("paragraph", "<p>Text</p>"),
                ("bulleted_list", ["<p>One</p>"]),
                ("numbered_list", ["<p>One</p>"]),
                ("table", TABLE),
                ("callout", {"title": "", "text": "<p>Note</p>"}),
                ("faq", {"question": "Q?", "answer": "<p>A.</p>"}),
                ("sources", [SOURCE]),
            ),
            "",
        )

    def test_a_source_with_a_bad_url_is_refused_clearly(self):
        for url in ["not a url", "ftp://example.org/file", "javascript:alert(1)"]:
            with self.subTest(url=url):
                self.assertIn(
                    "Enter the full web address of the source, starting with https://",
                    errors(("sources", [{**SOURCE, "url": url}])),
                )

    def test_a_source_needs_a_title_publisher_and_past_access_date(self):
        self.assertIn("This field is required", errors(("sources", [{**SOURCE, "title": ""}])))
        self.assertIn(
            "cannot be in the future", errors(("sources", [{**SOURCE, "accessed": "2999-01-01"}]))
        )

    def test_an_empty_sources_list_or_bullet_list_is_refused(self):
        self.assertIn("minimum", errors(("sources", [])).lower())
        self.assertIn("minimum", errors(("bulleted_list", [])).lower())

    def test_empty_tables_are_refused_with_what_is_missing(self):
        message = errors(("table", {"caption": "", "columns": [], "rows": []}))
        self.assertIn("Add a caption", message)
        self.assertIn("Add at least one column", message)
        self.assertIn("Add at least one row", message)

    def test_a_table_column_without_a_heading_is_refused(self):
        table = {**TABLE, "columns": [{**TABLE["columns"][0], "heading": ""}, TABLE["columns"][1]]}
        self.assertIn("Give every column a heading", errors(("table", table)))

    def test_two_sections_with_the_same_anchor_are_refused(self):
        message = errors(
            ("section_heading", {"heading": "Side effects"}),
            ("section_heading", {"heading": "Other", "anchor": "side-effects"}),
        )
        self.assertIn("Another section already links as “side-effects”", message)

    def test_an_anchor_must_be_a_slug(self):
        message = errors(("section_heading", {"heading": "X", "anchor": "Not a slug!"}))
        self.assertIn("lower-case letters, digits and hyphens", message)


class ImageBlockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.image = ImageFactory(title="Neck muscles", width=800, height=600)

    def image_value(self, **overrides):
        return {"image": self.image.pk, "decorative": False, "alt_text": "The neck", **overrides}

    def test_image_without_alt_text_is_refused_unless_decorative(self):
        no_alt = {"image": self.image_value(alt_text=""), "caption": ""}
        self.assertIn("Please add some alt text", errors(("image", no_alt)))
        decorative = {"image": self.image_value(alt_text="", decorative=True), "caption": ""}
        self.assertEqual(errors(("image", decorative)), "")

    def test_injection_site_diagram_without_alt_text_is_refused(self):
        site = {"muscle": "Scalenes", "function": "Bend the neck.", "reason": "Tilt."}
        diagram = self.image_value(alt_text="")
        self.assertIn(
            "Please add some alt text", errors(("injection_sites", [{**site, "diagram": diagram}]))
        )
        self.assertEqual(errors(("injection_sites", [{**site, "diagram": None}])), "")

    def test_image_renders_responsive_with_alt_text_size_and_caption(self):
        html = render("image", {"image": self.image_value(), "caption": "The neck muscles"})
        self.assertIn('alt="The neck"', html)
        self.assertIn("srcset=", html)
        self.assertIn('width="', html)
        self.assertInHTML("<figcaption>The neck muscles</figcaption>", html)

    def test_decorative_image_has_empty_alt(self):
        html = render("image", {"image": self.image_value(decorative=True), "caption": ""})
        self.assertIn('alt=""', html)
