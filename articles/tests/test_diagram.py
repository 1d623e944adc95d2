from django.template.loader import render_to_string
from django.test import SimpleTestCase

from articles.templatetags.diagram_tags import injection_diagram


def site(muscle):
    return {"muscle": muscle, "function": "", "reason": "", "diagram": None}


class InjectionDiagramTests(SimpleTestCase):
    def test_known_muscles_are_drawn_with_the_number_of_their_place_in_the_list(self):
        sites = [site("Sternocleidomastoid"), site("Platysma"), site("Trapezius (upper fibres)")]
        context = injection_diagram(sites)
        self.assertEqual(
            [(m["number"], m["view"]) for m in context["drawn"]], [(1, "front"), (3, "back")]
        )

    def test_the_svg_is_described_in_words(self):
        html = render_to_string(
            "articles/includes/injection_diagram.html",
            injection_diagram([site("Splenius capitis"), site("Scalenes")]),
        )
        self.assertIn('role="img"', html)
        self.assertIn("1: Splenius capitis, seen from the back.", html)
        self.assertIn("2: Scalenes, seen from the front.", html)
        self.assertEqual(html.count("<circle"), 2)

    def test_no_known_muscle_no_diagram(self):
        html = render_to_string(
            "articles/includes/injection_diagram.html", injection_diagram([site("Platysma")])
        )
        self.assertEqual(html.strip(), "")
