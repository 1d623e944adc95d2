"""The injection-sites diagram: a schematic of the neck, front and back, drawn here
(no real person), with each muscle an article lists shaded and numbered in the order
of its list. Muscles it does not know are listed but not drawn."""

from django import template
from django.utils.text import slugify

register = template.Library()

FRONT, BACK = "front", "back"


def mirrored(points, axis):
    """The same shape on the other side of the body (the figures are symmetric)."""
    return [(2 * axis - x, y) for x, y in points]


def pair(points, axis):
    return [points, mirrored(points, axis)]


# Each known muscle: the view it is seen in, its shapes (polygons, both sides) and
# where its number goes. Figures are centred on x=160 (front) and x=480 (back).
MUSCLES = {
    "sternocleidomastoid": {
        "view": FRONT,
        "shapes": pair([(121, 112), (132, 106), (159, 210), (147, 216)], 160),
        "marker": (116, 160),
    },
    "scalene": {
        "view": FRONT,
        "shapes": pair([(133, 146), (142, 150), (130, 212), (115, 206)], 160),
        "marker": (206, 188),
    },
    "splenius-capitis": {
        "view": BACK,
        "shapes": pair([(474, 204), (482, 204), (458, 110), (444, 116)], 480),
        "marker": (430, 130),
    },
    "semispinalis-capitis": {
        "view": BACK,
        "shapes": [[(472, 112), (478, 112), (478, 206), (472, 206)]]
        + [mirrored([(472, 112), (478, 112), (478, 206), (472, 206)], 480)],
        "marker": (480, 96),
    },
    "levator-scapulae": {
        "view": BACK,
        "shapes": pair([(451, 138), (460, 142), (428, 234), (416, 228)], 480),
        "marker": (544, 178),
    },
    "trapezius": {
        "view": BACK,
        "shapes": [
            [
                (470, 120),
                (490, 120),
                (496, 196),
                (576, 226),
                (592, 252),
                (480, 262),
                (368, 252),
                (384, 226),
                (464, 196),
            ]
        ],
        "marker": (556, 240),
    },
}


def muscle_key(name):
    slug = slugify(name)
    for key in MUSCLES:
        if slug.startswith(key):
            return key
    return None


@register.inclusion_tag("articles/includes/injection_diagram.html")
def injection_diagram(sites):
    """{% injection_diagram value %} for an injection_sites block's list of sites."""
    drawn = []
    for number, site in enumerate(sites, start=1):
        key = muscle_key(site["muscle"])
        if key is None:
            continue
        muscle = MUSCLES[key]
        drawn.append(
            {
                "number": number,
                "name": site["muscle"],
                "view": muscle["view"],
                "points": [" ".join(f"{x},{y}" for x, y in shape) for shape in muscle["shapes"]],
                "x": muscle["marker"][0],
                "y": muscle["marker"][1],
            }
        )
    return {
        "drawn": drawn,
        "front": [m for m in drawn if m["view"] == FRONT],
        "back": [m for m in drawn if m["view"] == BACK],
    }
