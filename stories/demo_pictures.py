"""Illustrations for the demo's patient photos, drawn here with Pillow from plain shapes:
landscapes, objects and a faceless silhouette seen from behind, in soft colors. No real
person is shown, and nothing is downloaded. The same name always gives the same picture
(no randomness), so loading the demo twice stores identical files.

``picture(name)`` returns PNG bytes; ``PICTURES`` lists the names.
"""

import io
import math

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 800
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without antialiasing


def _canvas(top, bottom):
    """A vertical gradient from ``top`` to ``bottom`` (RGB tuples)."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / (h - 1)
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image, draw


def _s(*values):
    return [v * SCALE for v in values]


def _hills(draw, base, amplitude, period, phase, color):
    """A filled band of rolling hills whose crest sits around ``base``."""
    points = [(0, HEIGHT * SCALE)]
    for x in range(0, WIDTH + 1, 10):
        y = (
            base
            + amplitude * math.sin(x / period + phase)
            + amplitude / 3 * math.sin(x / (period / 2.7))
        )
        points.append((x * SCALE, y * SCALE))
    points.append((WIDTH * SCALE, HEIGHT * SCALE))
    draw.polygon(points, fill=color)


def _tree(draw, x, ground, height, color, trunk=(120, 98, 82)):
    draw.rectangle(_s(x - 4, ground - height * 0.35, x + 4, ground), fill=trunk)
    r = height * 0.32
    for dx, dy in [(0, -height * 0.62), (-r * 0.55, -height * 0.45), (r * 0.55, -height * 0.45)]:
        draw.ellipse(_s(x + dx - r, ground + dy - r, x + dx + r, ground + dy + r), fill=color)


def _finish(image, blur=0):
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    image = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def lakeside():
    """A figure seen from behind, sitting by a lake at sunset (no face)."""
    image, draw = _canvas((250, 206, 170), (236, 170, 160))
    draw.ellipse(_s(760, 250, 900, 390), fill=(255, 236, 200))
    _hills(draw, 420, 30, 160, 1.0, (176, 150, 170))
    draw.rectangle(_s(0, 470, WIDTH, HEIGHT), fill=(150, 176, 196))
    for i, y in enumerate(range(490, 640, 22)):
        draw.line(_s(780 - i * 12, y, 880 + i * 12, y), fill=(250, 222, 200), width=5 * SCALE)
    _hills(draw, 660, 14, 200, 0.3, (120, 150, 120))
    # Silhouette: back of the head and shoulders, no features.
    ink = (70, 72, 96)
    draw.ellipse(_s(330, 430, 410, 520), fill=ink)
    draw.rounded_rectangle(_s(290, 510, 450, 690), radius=60 * SCALE, fill=ink)
    draw.rectangle(_s(250, 660, 520, 690), fill=(110, 92, 80))  # the bench
    return _finish(image)


def trail():
    """A path winding through green hills toward the mountains."""
    image, draw = _canvas((196, 226, 240), (232, 244, 236))
    draw.ellipse(_s(930, 90, 1030, 190), fill=(255, 246, 214))
    draw.polygon(_s(120, 420, 360, 200, 600, 420), fill=(170, 186, 206))
    draw.polygon(_s(420, 420, 700, 160, 980, 420), fill=(150, 170, 196))
    draw.polygon(_s(640, 180, 700, 160, 760, 180, 700, 215), fill=(244, 248, 252))
    _hills(draw, 430, 24, 140, 0.4, (168, 204, 160))
    _hills(draw, 540, 30, 180, 2.1, (132, 180, 132))
    draw.polygon(_s(560, 470, 620, 470, 900, 800, 380, 800), fill=(232, 214, 178))
    for x, g, h in [(160, 600, 200), (260, 640, 240), (1010, 620, 220), (1110, 660, 260)]:
        _tree(draw, x, g, h, (96, 150, 110))
    return _finish(image)


def tea_and_book():
    """A mug and an open book on a table by a window."""
    image, draw = _canvas((246, 236, 222), (236, 222, 204))
    draw.rectangle(_s(700, 60, 1120, 420), fill=(214, 232, 242))
    draw.line(_s(910, 60, 910, 420), fill=(246, 236, 222), width=14 * SCALE)
    draw.line(_s(700, 240, 1120, 240), fill=(246, 236, 222), width=14 * SCALE)
    draw.rectangle(_s(0, 520, WIDTH, HEIGHT), fill=(196, 158, 124))
    draw.polygon(_s(260, 600, 560, 560, 560, 720, 260, 760), fill=(252, 250, 244))
    draw.polygon(_s(560, 560, 860, 600, 860, 760, 560, 720), fill=(244, 240, 230))
    for i in range(6):
        y = 600 + i * 22
        draw.line(_s(300, y + 4, 520, y - 22), fill=(200, 196, 188), width=3 * SCALE)
        draw.line(_s(600, y - 22, 820, y + 4), fill=(200, 196, 188), width=3 * SCALE)
    draw.rounded_rectangle(_s(900, 470, 1040, 640), radius=18 * SCALE, fill=(122, 168, 176))
    draw.ellipse(_s(1010, 510, 1090, 600), outline=(122, 168, 176), width=18 * SCALE)
    for dx in (0, 40):
        draw.arc(_s(930 + dx, 360, 980 + dx, 460), 100, 260, fill=(220, 210, 200), width=5 * SCALE)
    return _finish(image)


def bicycle():
    """A bicycle leaning on a white fence in a park."""
    image, draw = _canvas((208, 230, 246), (238, 246, 236))
    _hills(draw, 470, 16, 220, 0.8, (170, 206, 166))
    draw.rectangle(_s(0, 600, WIDTH, HEIGHT), fill=(150, 190, 140))
    for x in range(40, WIDTH, 70):
        draw.polygon(
            _s(x, 420, x + 18, 400, x + 36, 420, x + 36, 620, x, 620), fill=(250, 250, 246)
        )
    draw.rectangle(_s(0, 460, WIDTH, 476), fill=(250, 250, 246))
    draw.rectangle(_s(0, 560, WIDTH, 576), fill=(250, 250, 246))
    frame = (214, 96, 92)
    for cx in (420, 760):
        draw.ellipse(_s(cx - 120, 540, cx + 120, 780), outline=(70, 72, 86), width=14 * SCALE)
        draw.ellipse(_s(cx - 10, 650, cx + 10, 670), fill=(70, 72, 86))
    tubes = [
        (420, 660, 560, 660),
        (560, 660, 720, 520),
        (520, 520, 720, 520),
        (420, 660, 520, 520),
        (560, 660, 500, 480),
        (720, 520, 760, 660),
    ]
    for tube in tubes:
        draw.line(_s(*tube), fill=frame, width=14 * SCALE)
    draw.rounded_rectangle(_s(460, 464, 550, 486), radius=10 * SCALE, fill=(70, 72, 86))
    draw.line(_s(720, 520, 700, 460, 760, 450), fill=(70, 72, 86), width=12 * SCALE)
    _tree(draw, 1080, 600, 330, (110, 164, 120))
    return _finish(image)


def open_road():
    """A quiet road running to the horizon through farmland."""
    image, draw = _canvas((184, 214, 238), (246, 232, 206))
    draw.ellipse(_s(170, 120, 260, 210), fill=(255, 244, 210))
    horizon = 400
    draw.rectangle(_s(0, horizon, WIDTH, HEIGHT), fill=(214, 200, 130))
    for i, color in enumerate([(196, 186, 112), (174, 190, 110), (204, 196, 124)]):
        draw.polygon(
            _s(0, horizon + 40 + i * 90, 560, horizon, 0, horizon + 140 + i * 90), fill=color
        )
        draw.polygon(
            _s(WIDTH, horizon + 40 + i * 90, 640, horizon, WIDTH, horizon + 140 + i * 90),
            fill=color,
        )
    draw.polygon(_s(585, horizon, 615, horizon, 900, HEIGHT, 300, HEIGHT), fill=(110, 112, 120))
    for y0 in range(horizon + 20, HEIGHT, 70):
        t0, t1 = (y0 - horizon) / (HEIGHT - horizon), (y0 + 30 - horizon) / (HEIGHT - horizon)
        draw.polygon(
            _s(600 - 2 * t0, y0, 600 + 2 * t0, y0, 600 + 8 * t1, y0 + 30, 600 - 8 * t1, y0 + 30),
            fill=(246, 226, 140),
        )
    for x, h in [(880, 120), (960, 150), (1040, 130)]:
        _tree(draw, x, horizon + 20, h, (120, 160, 112))
    return _finish(image)


def walking_figure():
    """A stylized figure walking along a lakeside path, seen from behind (no face)."""
    image, draw = _canvas((220, 214, 240), (246, 226, 222))
    _hills(draw, 440, 20, 170, 2.4, (190, 186, 214))
    draw.rectangle(_s(0, 500, WIDTH, HEIGHT), fill=(176, 208, 178))
    draw.polygon(_s(0, 760, WIDTH, 600, WIDTH, 660, 0, HEIGHT), fill=(236, 220, 196))
    ink = (84, 82, 120)
    cx = 640
    draw.ellipse(_s(cx - 34, 300, cx + 34, 372), fill=ink)
    draw.rounded_rectangle(_s(cx - 58, 372, cx + 58, 560), radius=44 * SCALE, fill=(120, 150, 190))
    draw.line(_s(cx - 26, 550, cx - 60, 690), fill=ink, width=34 * SCALE)
    draw.line(_s(cx + 26, 550, cx + 50, 680), fill=ink, width=34 * SCALE)
    draw.line(_s(cx - 50, 400, cx - 90, 520), fill=(120, 150, 190), width=26 * SCALE)
    draw.line(_s(cx + 50, 400, cx + 96, 510), fill=(120, 150, 190), width=26 * SCALE)
    for x, g, h in [(140, 560, 230), (240, 590, 190), (1040, 560, 250)]:
        _tree(draw, x, g, h, (124, 170, 140))
    return _finish(image)


PICTURES = {
    "lakeside": lakeside,
    "trail": trail,
    "tea-and-book": tea_and_book,
    "bicycle": bicycle,
    "open-road": open_road,
    "walking-figure": walking_figure,
}


def picture(name):
    """The PNG bytes of the named illustration."""
    return PICTURES[name]()
