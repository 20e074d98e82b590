"""Flat illustrations for the demo's images, drawn locally with Pillow (never downloaded).

A demo image is a ``Scene`` (the hub's building, a workshop, a building site, a meeting, a
contest...) composed from a few drawing helpers: sky and interiors, furniture, objects and
people. The same scene and seed always give the same pixels, so the demo is reproducible.

Shapes are drawn in a 960 by 540 design space at twice the output size, then scaled down: Pillow
draws polygons without anti-aliasing, and the downscaling smooths their edges. Text uses the
DejaVu font shipped in ``core/fonts`` (Pillow's built-in font has no accented letters, and a CI
machine may have no system fonts).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"

WIDTH, HEIGHT = 960, 540
#: Drawn at this multiple of the output size, then scaled down (anti-aliasing).
SUPERSAMPLING = 2

Colour = tuple[int, int, int]
Point = tuple[float, float]

# The site's palette (site/static/css: --accent, --paper-alt, ink) and warm Provençal tones.
ACCENT: Colour = (143, 29, 22)
PAPER: Colour = (245, 242, 236)
INK: Colour = (27, 27, 31)
WHITE: Colour = (255, 255, 255)
OCHRE: Colour = (214, 160, 74)
TERRACOTTA: Colour = (196, 98, 60)
LAVENDER: Colour = (146, 124, 178)
OLIVE: Colour = (128, 138, 78)
PINE: Colour = (56, 96, 72)
SKY: Colour = (150, 196, 218)
SKY_LOW: Colour = (240, 228, 206)
SAND: Colour = (232, 214, 180)
WOOD: Colour = (166, 110, 64)
WOOD_DARK: Colour = (120, 76, 44)
STEEL: Colour = (118, 126, 136)
CONCRETE: Colour = (214, 208, 198)
GLASS: Colour = (176, 210, 224)
GOLD: Colour = (226, 178, 60)
SKINS: tuple[Colour, ...] = ((241, 200, 166), (214, 160, 118), (170, 112, 74), (112, 72, 48))
HAIRS: tuple[Colour, ...] = ((40, 30, 26), (92, 58, 36), (150, 98, 52), (60, 50, 48), INK)
CLOTHES: tuple[Colour, ...] = (ACCENT, OCHRE, TERRACOTTA, LAVENDER, OLIVE, (60, 92, 130), PINE)
PRESERVES: tuple[Colour, ...] = (
    (232, 132, 40),  # apricot
    (200, 48, 36),  # tomato
    (122, 150, 60),  # courgette
    (110, 50, 90),  # fig
    (236, 190, 60),  # pepper
)


class Scene(StrEnum):
    """What a demo image shows."""

    HUB = "hub"
    PRESERVES = "preserves"
    BUILDING_SITE = "building_site"
    SEWING = "sewing"
    WOODWORK = "woodwork"
    SOAP = "soap"
    OFFICE = "office"
    STUDIO = "studio"
    KITCHEN = "kitchen"
    MEETING = "meeting"
    CONTEST = "contest"
    NEWSLETTER = "newsletter"


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans Bold at ``size`` pixels: every Latin-1 letter has a glyph."""
    return ImageFont.truetype(str(BOLD_FONT), size)


def shade(colour: Colour, factor: float) -> Colour:
    """``colour`` darker (factor < 1) or lighter (factor > 1, towards white)."""
    if factor <= 1:
        return (int(colour[0] * factor), int(colour[1] * factor), int(colour[2] * factor))
    mix = min(factor - 1, 1)
    return (
        int(colour[0] + (255 - colour[0]) * mix),
        int(colour[1] + (255 - colour[1]) * mix),
        int(colour[2] + (255 - colour[2]) * mix),
    )


def sorted_box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """The box with its corners in the order Pillow wants, whichever way they were given."""
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


class Canvas:
    """An ImageDraw in design coordinates (960 by 540), drawn at ``SUPERSAMPLING`` times that."""

    def __init__(self, background: Colour = PAPER) -> None:
        self.scale = SUPERSAMPLING
        self.image = Image.new("RGB", (WIDTH * self.scale, HEIGHT * self.scale), background)
        self.draw = ImageDraw.Draw(self.image)

    def _points(self, points: Sequence[Point]) -> list[Point]:
        return [(x * self.scale, y * self.scale) for x, y in points]

    def _box(self, box: Sequence[float]) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = box
        return (x0 * self.scale, y0 * self.scale, x1 * self.scale, y1 * self.scale)

    def rect(self, box: Sequence[float], fill: Colour, radius: float = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(self._box(box), radius * self.scale, fill=fill)
        else:
            self.draw.rectangle(self._box(box), fill=fill)

    def polygon(self, points: Sequence[Point], fill: Colour) -> None:
        self.draw.polygon(self._points(points), fill=fill)

    def ellipse(self, box: Sequence[float], fill: Colour) -> None:
        self.draw.ellipse(self._box(box), fill=fill)

    def circle(self, x: float, y: float, radius: float, fill: Colour) -> None:
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill)

    def line(self, points: Sequence[Point], fill: Colour, width: float) -> None:
        self.draw.line(
            self._points(points), fill=fill, width=round(width * self.scale), joint="curve"
        )
        # Round caps: Pillow's lines end square.
        for x, y in (points[0], points[-1]):
            self.circle(x, y, width / 2 - 0.5, fill)

    def arc(
        self, box: Sequence[float], start: float, end: float, fill: Colour, width: float
    ) -> None:
        self.draw.arc(self._box(box), start, end, fill=fill, width=round(width * self.scale))

    def gradient(self, box: Sequence[float], top: Colour, bottom: Colour) -> None:
        """A vertical gradient from ``top`` to ``bottom`` filling ``box``."""
        x0, y0, x1, y1 = (round(v) for v in self._box(box))
        rows = max(y1 - y0, 1)
        for row in range(y0, y1):
            t = (row - y0) / rows
            colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            self.draw.line(((x0, row), (x1 - 1, row)), fill=colour)

    def text(
        self,
        xy: Point,
        text: str,
        size: int,
        fill: Colour,
        *,
        anchor: str = "la",
    ) -> None:
        self.draw.text(
            (xy[0] * self.scale, xy[1] * self.scale),
            text,
            fill=fill,
            font=font(size * self.scale),
            anchor=anchor,
        )

    def text_width(self, text: str, size: int) -> float:
        return font(size * self.scale).getlength(text) / self.scale

    def finish(self, size: tuple[int, int]) -> Image.Image:
        return self.image.resize(size, Image.Resampling.LANCZOS)


# --- Backgrounds -------------------------------------------------------------------------------


def sky(c: Canvas, rng: random.Random, horizon: float) -> None:
    """A Provençal sky with a low sun, a few clouds and the hills of l'Estaque."""
    c.gradient((0, 0, WIDTH, horizon), SKY, SKY_LOW)
    c.circle(rng.uniform(120, 840), rng.uniform(50, 90), 34, (252, 226, 160))
    for _ in range(2):
        x, y = rng.uniform(60, 860), rng.uniform(50, 150)
        for dx, dy, r in ((0, 0, 22), (24, -10, 28), (52, 0, 22), (26, 6, 22)):
            c.circle(x + dx, y + dy, r, shade(SKY_LOW, 1.4))
    hills = [(0.0, horizon)]
    for step in range(13):
        hills.append((step * 80, horizon - 40 - 30 * math.sin(step * 0.9 + rng.random() * 2)))
    hills.append((WIDTH, horizon))
    c.polygon(hills, (176, 186, 170))


def interior(
    c: Canvas, rng: random.Random, floor: float = 420, wall: Colour = SAND, window_x: float = 0
) -> None:
    """A workshop's wall and concrete floor, with a tall factory window on the sky."""
    c.gradient((0, 0, WIDTH, floor), shade(wall, 1.25), wall)
    c.gradient((0, floor, WIDTH, HEIGHT), (190, 176, 156), (160, 146, 128))
    c.rect((0, floor - 8, WIDTH, floor), shade(wall, 0.8))
    x = window_x or rng.choice((640, 680))
    window(c, (x, 50, x + 220, 250), panes=(3, 3))


def window(c: Canvas, box: Sequence[float], panes: tuple[int, int] = (2, 2)) -> None:
    """A steel-framed window on a sky, with a reflection."""
    x0, y0, x1, y1 = box
    c.rect((x0 - 6, y0 - 6, x1 + 6, y1 + 6), (62, 66, 74))
    c.gradient((x0, y0, x1, y1), shade(SKY, 1.1), shade(GLASS, 1.35))
    c.polygon(
        [
            (x0 + (x1 - x0) * 0.15, y1),
            (x0 + (x1 - x0) * 0.45, y0),
            (x0 + (x1 - x0) * 0.6, y0),
            (x0 + (x1 - x0) * 0.3, y1),
        ],
        shade(GLASS, 1.55),
    )
    columns, rows = panes
    for i in range(1, columns):
        x = x0 + (x1 - x0) * i / columns
        c.rect((x - 2.5, y0, x + 2.5, y1), (62, 66, 74))
    for i in range(1, rows):
        y = y0 + (y1 - y0) * i / rows
        c.rect((x0, y - 2.5, x1, y + 2.5), (62, 66, 74))


# --- People ----------------------------------------------------------------------------------


def person(
    c: Canvas,
    rng: random.Random,
    x: float,
    ground: float,
    height: float,
    *,
    seated: bool = False,
    arms: str = "down",
    shirt: Colour | None = None,
    hat: Colour | None = None,
    apron: Colour | None = None,
) -> None:
    """A simple figure standing on ``ground`` (or, seated, with the table's top at ``ground``:
    only the head and torso show above it)."""
    skin = rng.choice(SKINS)
    hair = rng.choice(HAIRS)
    shirt = shirt or rng.choice(CLOTHES)
    h = height
    head = h * 0.085
    if seated:
        hips = ground + h * 0.05
        neck = ground - h * 0.36
    else:
        hips = ground - h * 0.47
        neck = ground - h + head * 2.1
        trousers = rng.choice(((52, 58, 74), (70, 62, 56), INK, (96, 104, 118)))
        c.line([(x - h * 0.06, hips), (x - h * 0.07, ground - 4)], trousers, h * 0.1)
        c.line([(x + h * 0.06, hips), (x + h * 0.07, ground - 4)], trousers, h * 0.1)
        c.ellipse((x - h * 0.14, ground - 8, x - h * 0.02, ground + 2), INK)
        c.ellipse((x + h * 0.02, ground - 8, x + h * 0.14, ground + 2), INK)
    half = h * 0.13
    # Arms behind the torso when they hang, in front when they work.
    sleeve = shade(shirt, 0.85)
    shoulder_y = neck + h * 0.05
    if arms == "down":
        for side in (-1, 1):
            c.line(
                [(x + side * half, shoulder_y), (x + side * (half + 10), hips - 4)],
                sleeve,
                h * 0.075,
            )
            c.circle(x + side * (half + 10), hips - 2, h * 0.04, skin)
    c.rect((x - half, neck, x + half, hips), shirt, radius=h * 0.07)
    if apron:
        bottom = ground if seated else hips + h * 0.05
        c.rect((x - half * 0.7, neck + h * 0.1, x + half * 0.7, bottom), apron, radius=6)
    if arms != "down":
        for side in (-1, 1):
            if arms == "forward":  # working at a bench or a table
                hand = (x + side * half * 0.7, shoulder_y + h * 0.3)
                elbow = (x + side * (half + h * 0.07), shoulder_y + h * 0.2)
            elif arms == "up" or side < 0:  # both raised, or the left one showing the way
                hand = (x + side * (half + h * 0.1), neck - h * 0.12)
                elbow = (x + side * (half + h * 0.1), shoulder_y + h * 0.02)
            else:
                hand = (x + side * (half + 8), hips - 2)
                elbow = (x + side * (half + 6), shoulder_y + h * 0.15)
            c.line([(x + side * (half - 6), shoulder_y + 4), elbow, hand], sleeve, h * 0.075)
            c.circle(*hand, h * 0.04, skin)
    # Neck and head.
    c.rect((x - h * 0.03, neck - head * 0.6, x + h * 0.03, neck + 4), shade(skin, 0.9))
    head_y = neck - head * 1.1
    style = rng.randrange(4)
    if style == 3:  # long hair falls behind the head, down to the shoulders
        for side in (-1, 1):
            c.rect(
                sorted_box(
                    x + side * head * 0.4,
                    head_y - head * 0.3,
                    x + side * head * 1.15,
                    head_y + head * 1.7,
                ),
                hair,
                radius=head * 0.35,
            )
    c.circle(x, head_y, head, skin)
    if hat:
        c.ellipse(
            (x - head * 1.05, head_y - head * 1.25, x + head * 1.05, head_y + head * 0.1), hat
        )
        c.rect(
            (x - head * 1.35, head_y - head * 0.35, x + head * 1.35, head_y - head * 0.1),
            hat,
            radius=3,
        )
    elif style == 1:  # a bun
        c.circle(x, head_y - head * 1.05, head * 0.45, hair)
        c.ellipse(
            (x - head * 1.02, head_y - head * 1.05, x + head * 1.02, head_y + head * 0.1), hair
        )
    else:
        c.ellipse(
            (x - head * 1.05, head_y - head * 1.1, x + head * 1.05, head_y + head * 0.05 * style),
            hair,
        )


# --- Furniture and objects -------------------------------------------------------------------


def workbench(c: Canvas, x0: float, x1: float, top: float, floor: float) -> None:
    c.rect((x0 + 14, top, x0 + 30, floor), WOOD_DARK)
    c.rect((x1 - 30, top, x1 - 14, floor), WOOD_DARK)
    c.rect((x0 + 20, floor - 50, x1 - 20, floor - 40), WOOD_DARK)
    c.rect((x0, top - 4, x1, top + 16), WOOD)
    c.rect((x0, top + 12, x1, top + 18), WOOD_DARK)


def shelf(c: Canvas, x0: float, x1: float, y: float) -> None:
    c.rect((x0, y, x1, y + 9), WOOD)
    for x in (x0 + 20, x1 - 28):
        c.polygon([(x, y + 9), (x + 8, y + 9), (x + 8, y + 30)], WOOD_DARK)


def jar(c: Canvas, x: float, bottom: float, width: float, contents: Colour, lid: Colour) -> None:
    """A glass preserving jar, filled with ``contents``, with a label and a lid."""
    height = width * 1.35
    top = bottom - height
    c.rect((x, top + width * 0.12, x + width, bottom), shade(GLASS, 1.3), radius=width * 0.18)
    c.rect((x + 3, top + width * 0.32, x + width - 3, bottom - 3), contents, radius=width * 0.14)
    c.rect((x + width * 0.15, top + height * 0.5, x + width * 0.85, top + height * 0.78), PAPER)
    c.rect((x + width * 0.15, top + height * 0.5, x + width * 0.85, top + height * 0.55), ACCENT)
    c.rect((x + width * 0.1, top, x + width * 0.9, top + width * 0.18), lid, radius=3)
    c.rect(
        (x + width * 0.12, top + width * 0.35, x + width * 0.2, bottom - width * 0.3),
        shade(GLASS, 1.7),
    )


def pegboard(c: Canvas, rng: random.Random, x0: float, y0: float, x1: float, y1: float) -> None:
    """A board of hanging tools: hammer, wrench, saw, scissors."""
    c.rect((x0, y0, x1, y1), (204, 180, 140), radius=4)
    for px in range(int(x0) + 14, int(x1) - 6, 22):
        for py in range(int(y0) + 14, int(y1) - 6, 22):
            c.circle(px, py, 2, (176, 150, 112))
    slot = (x1 - x0) / 4
    # Hammer.
    hx = x0 + slot * 0.5
    c.rect((hx - 4, y0 + 34, hx + 4, y1 - 20), WOOD)
    c.rect((hx - 20, y0 + 22, hx + 20, y0 + 40), STEEL, radius=3)
    # Wrench.
    wx = x0 + slot * 1.5
    c.rect((wx - 5, y0 + 40, wx + 5, y1 - 26), STEEL, radius=4)
    c.circle(wx, y0 + 34, 14, STEEL)
    c.rect((wx - 5, y0 + 18, wx + 5, y0 + 36), (204, 180, 140))
    c.circle(wx, y1 - 24, 10, STEEL)
    # Saw.
    sx = x0 + slot * 2.2
    c.polygon(
        [(sx, y0 + 40), (sx + slot * 1.1, y0 + 40), (sx + slot * 1.1, y0 + 58), (sx, y1 - 20)],
        shade(STEEL, 1.3),
    )
    c.rect((sx - 10, y0 + 28, sx + 24, y0 + 66), WOOD_DARK, radius=10)
    c.rect((sx - 2, y0 + 38, sx + 14, y0 + 56), (204, 180, 140), radius=5)
    # Screwdriver.
    dx = x0 + slot * 3.6
    c.rect((dx - 6, y0 + 20, dx + 6, y0 + 56), OCHRE, radius=5)
    c.rect((dx - 2, y0 + 56, dx + 2, y1 - 22), STEEL)


def plant(c: Canvas, rng: random.Random, x: float, floor: float, size: float = 1.0) -> None:
    c.polygon(
        [
            (x - 22 * size, floor - 50 * size),
            (x + 22 * size, floor - 50 * size),
            (x + 16 * size, floor),
            (x - 16 * size, floor),
        ],
        TERRACOTTA,
    )
    for angle in range(-70, 80, 28):
        rad = math.radians(angle + rng.uniform(-8, 8))
        length = rng.uniform(60, 90) * size
        tip = (x + math.sin(rad) * length, floor - 50 * size - math.cos(rad) * length)
        mid = (x + math.sin(rad) * length * 0.5, floor - 50 * size - math.cos(rad) * length * 0.5)
        c.line([(x, floor - 50 * size), mid, tip], PINE if angle % 56 else OLIVE, 12 * size)


def tree(c: Canvas, rng: random.Random, x: float, ground: float, size: float) -> None:
    """A round plane tree or a cypress."""
    if rng.random() < 0.35:
        c.ellipse((x - 18 * size, ground - 190 * size, x + 18 * size, ground - 4), (46, 80, 58))
        c.ellipse((x - 10 * size, ground - 180 * size, x + 6 * size, ground - 30 * size), PINE)
        return
    c.rect((x - 7 * size, ground - 80 * size, x + 7 * size, ground), WOOD_DARK)
    crown = ground - 130 * size
    for dx, dy, r in ((-34, 10, 44), (30, 8, 46), (0, -24, 54), (0, 20, 44)):
        c.circle(x + dx * size, crown + dy * size, r * size, PINE)
    for dx, dy, r in ((-20, -18, 30), (24, -6, 26)):
        c.circle(x + dx * size, crown + dy * size, r * size, OLIVE)


# --- Scenes ----------------------------------------------------------------------------------


def hub(c: Canvas, rng: random.Random) -> None:
    """The Carburateur: a modern two-storey industrial building with large windows."""
    ground = 432
    sky(c, rng, ground - 40)
    c.rect((0, ground - 40, WIDTH, ground), (196, 200, 170))
    c.rect((0, ground, WIDTH, HEIGHT), (206, 196, 176))
    c.rect((0, ground + 44, WIDTH, ground + 58), (226, 218, 200))
    x0, x1, top = 150.0, 810.0, 160.0
    # Sawtooth roof of the old industrial hall, behind the parapet.
    for i in range(8):
        sx = x0 + 20 + i * 80
        c.polygon([(sx, top), (sx + 80, top), (sx + 80, top - 38)], STEEL)
        c.polygon([(sx + 62, top), (sx + 80, top), (sx + 80, top - 38)], shade(GLASS, 1.1))
    c.rect((x0, top, x1, ground), CONCRETE)
    # A terracotta wing with vertical cladding.
    c.rect((x0, top - 10, x0 + 150, ground), TERRACOTTA)
    for sx in range(int(x0) + 10, int(x0) + 150, 14):
        c.rect((sx, top - 10, sx + 3, ground), shade(TERRACOTTA, 0.88))
    c.rect((x0 - 6, top - 16, x1 + 6, top + 2), (70, 72, 80))
    # Two storeys of large windows.
    for row, (y0, y1) in enumerate(((186, 276), (316, 410))):
        for col in range(4):
            wx = x0 + 176 + col * 120
            if row == 1 and col == 2:
                continue
            window(c, (wx, y0, wx + 100, y1), panes=(2, 1 + row))
        window(c, (x0 + 30, y0, x0 + 120, y1), panes=(1, 2))
    # The entrance, under an accent canopy, and the hub's sign.
    door = x0 + 176 + 2 * 120
    window(c, (door + 10, 330, door + 90, ground), panes=(2, 1))
    c.rect((door - 10, 314, door + 110, 326), ACCENT)
    c.rect((x0 + 170, 284, x1 - 12, 306), shade(CONCRETE, 0.92))
    c.text(((x0 + 170 + x1) / 2, 295), "LE CARBURATEUR", 18, ACCENT, anchor="mm")
    # Lavender in terracotta planters along the facade.
    for px in (x0 + 186, x0 + 306, door + 130, door + 250):
        for k in range(9):
            c.circle(px + 6 + k * 8, ground - 24 - 6 * math.sin(k / 8 * math.pi), 7, LAVENDER)
        c.rect((px, ground - 22, px + 76, ground), TERRACOTTA, radius=3)
    for tx, size in ((70, 1.15), (880, 1.0), (120, 0.8), (845, 0.75)):
        tree(c, rng, tx, ground + 2, size)
    for px in rng.sample((300, 360, 620, 700), 2):
        person(c, rng, px, ground + 40, 96)


def workshop(c: Canvas, rng: random.Random, scene: Scene) -> None:
    """A resident's workshop: a bench with the trade's work, shelves and tools."""
    floor = 420
    wall = rng.choice((SAND, (226, 214, 196), (236, 220, 190)))
    interior(c, rng, floor, wall, window_x=710 if scene is Scene.WOODWORK else 0)
    bench_top = 318
    if scene is Scene.PRESERVES:
        for y in (90, 190):
            shelf(c, 60, 560, y)
            x = 78.0
            while x < 530:
                w = rng.choice((30, 36, 42))
                jar(c, x, y, w, rng.choice(PRESERVES), rng.choice((GOLD, ACCENT, OCHRE)))
                x += w + 10
        person(c, rng, 300, bench_top, 280, seated=True, arms="forward", apron=PAPER)
        workbench(c, 40, 620, bench_top, floor)
        # A crate of vegetables and jars being filled.
        c.rect((80, bench_top - 54, 210, bench_top - 4), WOOD, radius=4)
        for i in range(6):
            c.circle(96 + i * 20, bench_top - 56 - (i % 2) * 10, 14, rng.choice(PRESERVES[:3]))
        for i in range(4):
            jar(c, 380 + i * 52, bench_top - 4, 40, PRESERVES[i % 3], GOLD)
    elif scene is Scene.SOAP:
        for y in (110, 200):
            shelf(c, 60, 540, y)
            x = 76.0
            while x < 500:
                colour = rng.choice((LAVENDER, OLIVE, (236, 214, 180), (222, 150, 150), OCHRE))
                for level in range(rng.randint(1, 3)):
                    c.rect((x, y - 22 * (level + 1), x + 54, y - 22 * level - 2), colour, radius=4)
                    c.rect(
                        (x + 12, y - 22 * level - 16, x + 42, y - 22 * level - 10),
                        shade(colour, 1.2),
                    )
                x += 64
        person(c, rng, 320, bench_top, 280, seated=True, arms="forward", apron=PAPER)
        workbench(c, 40, 620, bench_top, floor)
        for i in range(5):
            c.rect(
                (90 + i * 40, bench_top - 24, 124 + i * 40, bench_top - 4),
                (236, 214, 180),
                radius=4,
            )
        # Lavender in a jug, and olive oil bottles.
        c.rect((460, bench_top - 60, 500, bench_top - 4), PAPER, radius=8)
        for i in range(9):
            sx = 466 + i * 3.5
            tip = (sx - 30 + i * 8, bench_top - 140 - (i % 3) * 12)
            c.line([(sx, bench_top - 58), tip], OLIVE, 3)
            for k in range(5):
                t = 0.6 + k * 0.09
                c.circle(
                    sx + (tip[0] - sx) * t,
                    bench_top - 58 + (tip[1] - bench_top + 58) * t,
                    5,
                    LAVENDER,
                )
        for i, colour in enumerate(((150, 160, 60), (120, 130, 40))):
            bx = 530 + i * 36
            c.rect((bx, bench_top - 76, bx + 26, bench_top - 4), colour, radius=6)
            c.rect((bx + 8, bench_top - 96, bx + 18, bench_top - 72), colour)
            c.rect((bx + 7, bench_top - 102, bx + 19, bench_top - 94), INK)
    elif scene is Scene.SEWING:
        # Rolls of fabric on the shelves, seen end on.
        for y in (130, 230):
            shelf(c, 60, 520, y)
            for i in range(7):
                colour = rng.choice(CLOTHES)
                cx = 96 + i * 62
                c.circle(cx, y - 28, 28, colour)
                c.circle(cx, y - 28, 17, shade(colour, 0.85))
                c.circle(cx, y - 28, 6, PAPER)
        # A dressmaker's dummy.
        c.rect((572, floor - 150, 578, floor - 10), WOOD_DARK)
        c.ellipse((540, floor - 16, 610, floor), WOOD_DARK)
        c.polygon(
            [
                (540, 170),
                (610, 170),
                (596, 250),
                (620, floor - 140),
                (530, floor - 140),
                (554, 250),
            ],
            ACCENT,
        )
        c.rect((565, 150, 585, 172), PAPER, radius=4)
        person(c, rng, 390, bench_top, 280, seated=True, arms="forward")
        workbench(c, 40, 500, bench_top, floor)
        # The sewing machine.
        mx = 120
        c.rect((mx, bench_top - 20, mx + 190, bench_top - 2), PAPER, radius=6)
        c.rect((mx + 140, bench_top - 110, mx + 180, bench_top - 16), PAPER, radius=10)
        c.rect((mx + 20, bench_top - 112, mx + 180, bench_top - 78), PAPER, radius=14)
        c.rect((mx + 22, bench_top - 78, mx + 40, bench_top - 36), PAPER, radius=4)
        c.rect((mx + 28, bench_top - 36, mx + 33, bench_top - 20), STEEL)
        c.rect((mx + 60, bench_top - 108, mx + 130, bench_top - 100), ACCENT)
        c.circle(mx + 184, bench_top - 70, 16, STEEL)
        c.rect((mx - 90, bench_top - 8, mx + 40, bench_top - 2), TERRACOTTA)
        c.rect((mx + 90, bench_top - 140, mx + 104, bench_top - 112), OCHRE, radius=3)
    else:  # Scene.WOODWORK
        pegboard(c, rng, 70, 60, 420, 220)
        # Planks leaning on the wall.
        for i in range(4):
            px = 540 + i * 34
            top = 90 + i * 12
            c.polygon(
                [(px, floor), (px + 28, floor), (px + 70, top), (px + 44, top)],
                shade(WOOD, 1.0 + 0.08 * i),
            )
        person(c, rng, 200, bench_top, 280, seated=True, arms="forward", apron=(92, 84, 74))
        workbench(c, 40, 520, bench_top, floor)
        # A stool being finished: seat, splayed legs, a stretcher.
        sx, seat = 330.0, bench_top - 96
        for lx, splay in ((sx + 14, -10), (sx + 100, 10)):
            c.polygon(
                [
                    (lx, seat),
                    (lx + 16, seat),
                    (lx + 16 + splay, bench_top - 4),
                    (lx + splay, bench_top - 4),
                ],
                WOOD_DARK,
            )
        c.rect((sx + 10, bench_top - 46, sx + 120, bench_top - 38), WOOD_DARK)
        c.rect((sx, seat - 14, sx + 130, seat + 2), shade(WOOD, 1.15), radius=6)
        # A plane on the bench and shavings on the floor.
        c.rect((70, bench_top - 26, 150, bench_top - 4), STEEL, radius=4)
        c.rect((90, bench_top - 40, 132, bench_top - 26), ACCENT, radius=6)
        for _ in range(10):
            left, low = rng.uniform(80, 500), floor + 24 + rng.uniform(0, 80)
            c.arc((left, low, left + 26, low + 22), 180, 360, shade(WOOD, 1.25), 4)


def kitchen(c: Canvas, rng: random.Random) -> None:
    """A caterer's kitchen: stoves, steaming pots, hanging ladles."""
    floor = 430
    c.gradient((0, 0, WIDTH, floor), (250, 246, 238), (232, 226, 214))
    # Tiles.
    for ty in range(120, 310, 30):
        for tx in range(0, WIDTH, 40):
            c.rect(
                (tx + 1, ty + 1, tx + 39, ty + 29),
                shade((206, 226, 220), 1.0 + 0.05 * ((tx // 40 + ty // 30) % 2)),
            )
    c.rect((0, floor, WIDTH, HEIGHT), (150, 140, 130))
    c.rect((0, 60, WIDTH, 68), STEEL)
    for i in range(6):
        lx = 90 + i * 60
        c.line([(lx, 68), (lx, 150 + (i % 2) * 20)], STEEL, 5)
        c.ellipse((lx - 16, 146 + (i % 2) * 20, lx + 16, 170 + (i % 2) * 20), shade(STEEL, 1.2))
    window(c, (640, 90, 880, 260), panes=(3, 2))
    person(c, rng, 660, 310, 290, seated=True, arms="forward", shirt=WHITE, hat=WHITE)
    c.rect((40, 310, 920, floor), shade(STEEL, 1.35))
    c.rect((40, 304, 920, 318), shade(STEEL, 1.1))
    for i in range(3):
        c.rect((80 + i * 180, 340, 230 + i * 180, 410), shade(STEEL, 1.2), radius=6)
        c.rect((140 + i * 180, 352, 170 + i * 180, 358), STEEL)
    # Pots on the stove, with steam.
    for i, (px, width, colour) in enumerate(
        ((110, 150, ACCENT), (290, 120, TERRACOTTA), (440, 130, (90, 96, 104)))
    ):
        height = width * 0.7
        c.rect((px, 304 - height, px + width, 304), colour, radius=10)
        c.rect(
            (px - 8, 304 - height, px + width + 8, 304 - height + 14), shade(colour, 0.8), radius=6
        )
        c.rect((px - 22, 304 - height + 26, px, 304 - height + 36), shade(colour, 0.8), radius=4)
        c.rect(
            (px + width, 304 - height + 26, px + width + 22, 304 - height + 36),
            shade(colour, 0.8),
            radius=4,
        )
        for k in range(3):
            sx = px + width * (0.25 + 0.25 * k)
            top = 304 - height - 10
            points = [
                (sx + 10 * math.sin((top - y) / 14 + i + k), y)
                for y in range(int(top), int(top) - 90, -6)
            ]
            c.line(points, (255, 255, 255), 6)


def office(c: Canvas, rng: random.Random) -> None:
    """Developers at their desks, screens full of code, sticky notes on the wall."""
    floor = 430
    interior(c, rng, floor, wall=(222, 220, 212))
    # A board of sticky notes.
    c.rect((70, 70, 380, 230), WHITE, radius=6)
    for i in range(12):
        nx, ny = 90 + (i % 6) * 48, 90 + (i // 6) * 62
        c.rect(
            (nx, ny, nx + 38, ny + 40),
            rng.choice((OCHRE, (240, 210, 120), (226, 160, 160), (170, 200, 150))),
        )
    for x in (230, 520):
        person(c, rng, x, 330, 270, seated=True, arms="forward")
    c.rect((60, 330, 760, 346), WOOD)
    for lx in (80, 420, 730):
        c.rect((lx, 346, lx + 12, floor), (70, 72, 80))
    for x in (140, 430):
        # A monitor seen from behind the person would hide them: screens stand aside.
        c.rect((x + 140, 190, x + 290, 290), INK, radius=6)
        c.rect((x + 148, 198, x + 282, 282), (36, 40, 52))
        for row in range(8):
            indent = rng.choice((0, 12, 24))
            length = rng.uniform(30, 90)
            c.rect(
                (x + 156 + indent, 206 + row * 9, x + 156 + indent + length, 211 + row * 9),
                rng.choice((OCHRE, LAVENDER, (140, 200, 170), PAPER)),
            )
        c.rect((x + 208, 290, x + 222, 326), INK)
        c.rect((x + 180, 324, x + 250, 330), INK)
        c.rect((x - 20, 318, x + 60, 330), STEEL, radius=3)
    c.rect((580, 316, 620, 330), ACCENT, radius=4)
    plant(c, rng, 860, floor, 1.2)


def studio(c: Canvas, rng: random.Random) -> None:
    """A photographer's studio: a paper backdrop, a softbox, a camera on its tripod."""
    c.gradient((0, 0, WIDTH, HEIGHT), (70, 66, 72), (40, 38, 44))
    # The backdrop sweeps from the wall onto the floor.
    c.rect((330, 40, 820, 380), OCHRE)
    c.gradient((330, 340, 820, 470), OCHRE, shade(OCHRE, 1.2))
    c.rect((320, 30, 830, 46), (30, 30, 34), radius=8)
    # A product on a stool.
    c.rect((530, 350, 620, 362), PAPER)
    c.rect((560, 362, 590, 455), PAPER)
    jar(c, 548, 352, 56, PRESERVES[0], ACCENT)
    # The softbox, on its stand.
    c.line([(200, 200), (200, 470)], INK, 8)
    c.line([(200, 470), (160, 500)], INK, 6)
    c.line([(200, 470), (240, 500)], INK, 6)
    c.polygon([(120, 90), (280, 120), (280, 280), (120, 310)], (250, 248, 240))
    c.polygon([(280, 120), (320, 160), (320, 240), (280, 280)], (60, 60, 66))
    # The camera, on a tripod, and the photographer.
    c.line([(780, 320), (740, 500)], INK, 6)
    c.line([(780, 320), (820, 500)], INK, 6)
    c.line([(780, 320), (782, 500)], INK, 6)
    c.rect((740, 270, 820, 322), INK, radius=8)
    c.circle(752, 296, 20, (60, 62, 70))
    c.circle(752, 296, 11, (120, 150, 190))
    c.rect((790, 260, 812, 272), ACCENT, radius=3)
    person(c, rng, 880, 500, 300, arms="forward", shirt=(60, 92, 130))


def building_site(c: Canvas, rng: random.Random) -> None:
    """A building-trade site: a concrete frame in scaffolding, a crane, workers in helmets."""
    ground = 440
    sky(c, rng, ground - 20)
    c.rect((0, ground - 20, WIDTH, HEIGHT), (200, 176, 140))
    # The crane.
    mast = 760
    for y in range(60, ground, 24):
        c.line([(mast - 14, y), (mast + 14, y + 24)], OCHRE, 4)
    c.rect((mast - 16, 60, mast - 10, ground), shade(OCHRE, 0.9))
    c.rect((mast + 10, 60, mast + 16, ground), shade(OCHRE, 0.9))
    c.rect((340, 54, 940, 66), OCHRE)
    c.polygon([(mast - 16, 54), (mast + 16, 54), (mast, 20)], OCHRE)
    c.line([(mast, 20), (420, 56)], INK, 2)
    c.line([(mast, 20), (930, 56)], INK, 2)
    c.rect((880, 66, 930, 100), STEEL)
    c.rect((mast + 18, 70, mast + 50, 100), ACCENT, radius=3)
    c.line([(520, 66), (520, 200)], INK, 2)
    c.rect((490, 200, 550, 216), TERRACOTTA)
    # The building: slabs and columns, a brick wall going up.
    x0, x1 = 90, 620
    for level, y in enumerate((ground - 8, 320, 200)):
        c.rect((x0, y - 12, x1, y), CONCRETE if level else shade(CONCRETE, 0.9))
    for x in range(x0, x1 + 1, 130):
        c.rect((x, 200, x + 16, ground - 8), shade(CONCRETE, 0.95))
    for row in range(8):
        y = ground - 20 - row * 14
        offset = 16 if row % 2 else 0
        for bx in range(x0 + 16 + offset, x0 + 16 + 240, 32):
            c.rect(
                (bx, y - 12, min(bx + 30, x0 + 256), y),
                rng.choice((TERRACOTTA, shade(TERRACOTTA, 0.9), shade(TERRACOTTA, 1.1))),
            )
    # Scaffolding in front of the upper floor.
    for x in range(x0 - 20, x1 + 40, 90):
        c.rect((x, 160, x + 6, ground), (90, 96, 106))
    for y in (200, 320):
        c.rect((x0 - 20, y + 4, x1 + 36, y + 12), WOOD)
    for x in range(x0 - 20, x1 - 40, 90):
        c.line([(x + 3, 320), (x + 93, 204)], (90, 96, 106), 4)
    # Workers in hard hats and high-visibility vests.
    vest = (240, 130, 30)
    person(c, rng, 380, 316, 110, arms="up", shirt=vest, hat=(250, 204, 40))
    person(c, rng, 320, ground + 56, 190, arms="forward", shirt=vest, hat=WHITE)
    person(c, rng, 700, ground + 70, 200, shirt=(60, 92, 130), hat=(250, 204, 40))
    # A wheelbarrow and cones.
    c.polygon(
        [(450, ground + 20), (560, ground + 20), (540, ground + 56), (470, ground + 56)], ACCENT
    )
    c.circle(505, ground + 66, 14, INK)
    c.line([(550, ground + 30), (600, ground + 56)], INK, 6)
    for cx in (860, 900):
        c.polygon(
            [
                (cx - 16, ground + 70),
                (cx + 16, ground + 70),
                (cx + 4, ground + 20),
                (cx - 4, ground + 20),
            ],
            (240, 110, 30),
        )
        c.rect((cx - 11, ground + 44, cx + 11, ground + 52), WHITE)


def meeting(c: Canvas, rng: random.Random) -> None:
    """A meeting room: people around a table, a chart on the screen."""
    floor = 440
    interior(c, rng, floor, wall=(232, 222, 204))
    # The screen, with a rising chart, and the one who presents.
    c.rect((80, 70, 380, 240), INK, radius=6)
    c.rect((90, 80, 370, 230), PAPER)
    for i, h in enumerate((40, 62, 58, 90, 118)):
        c.rect((118 + i * 48, 210 - h, 148 + i * 48, 210), ACCENT if i == 4 else OCHRE)
    c.text((230, 96), "Bilan de l'année", 16, INK, anchor="mt")
    person(c, rng, 440, floor + 20, 300, arms="point")
    # People seated behind the table.
    for x in (560, 660, 760, 860):
        person(c, rng, x + rng.uniform(-8, 8), 330, 250, seated=True, arms="forward")
    c.polygon([(500, 330), (940, 330), (960, 400), (470, 400)], WOOD)
    c.rect((470, 400, 960, 412), WOOD_DARK)
    c.rect((500, 412, 512, HEIGHT), WOOD_DARK)
    # Cups, notebooks, a laptop.
    for x in (580, 760):
        c.rect((x, 344, x + 60, 356), WHITE)
    for x in (680, 880):
        c.rect((x, 334, x + 18, 356), ACCENT if x == 680 else PAPER, radius=4)
    c.polygon([(800, 320), (850, 320), (860, 352), (790, 352)], STEEL)
    plant(c, rng, 30, floor, 1.0)


def contest(c: Canvas, rng: random.Random) -> None:
    """A contest: a trophy on a podium, rays and confetti."""
    cx, cy = WIDTH / 2, 330
    c.gradient((0, 0, WIDTH, HEIGHT), (250, 238, 214), PAPER)
    for i in range(18):
        a0 = math.radians(i * 20)
        a1 = math.radians(i * 20 + 10)
        c.polygon(
            [
                (cx, cy),
                (cx + 900 * math.cos(a0), cy + 900 * math.sin(a0)),
                (cx + 900 * math.cos(a1), cy + 900 * math.sin(a1)),
            ],
            (244, 224, 186),
        )
    # The podium.
    for x0, x1, top, label in ((300, 420, 390, "2"), (420, 540, 340, "1"), (540, 660, 420, "3")):
        c.rect((x0, top, x1, HEIGHT), ACCENT if label == "1" else shade(ACCENT, 1.35))
        c.text(((x0 + x1) / 2, top + 44), label, 40, PAPER, anchor="mm")
    # The trophy.
    gold, dark = GOLD, shade(GOLD, 0.8)
    c.rect((440, 318, 520, 340), WOOD_DARK, radius=4)
    c.rect((470, 260, 490, 320), dark)
    c.ellipse((452, 250, 508, 270), dark)
    c.arc((394, 110, 454, 200), 90, 270, gold, 12)
    c.arc((506, 110, 566, 200), 270, 90, gold, 12)
    c.polygon([(420, 100), (540, 100), (530, 180), (500, 236), (460, 236), (430, 180)], gold)
    c.polygon([(440, 110), (460, 110), (462, 200), (448, 180)], shade(GOLD, 1.3))
    c.polygon(
        [
            (480, 126),
            (488, 146),
            (510, 148),
            (492, 160),
            (498, 182),
            (480, 170),
            (462, 182),
            (468, 160),
            (450, 148),
            (472, 146),
        ],
        PAPER,
    )
    # Confetti and stars.
    for _ in range(70):
        x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT - 40)
        if 280 < x < 680 and y > 80:
            continue
        angle = rng.uniform(0, math.pi)
        dx, dy = 9 * math.cos(angle), 9 * math.sin(angle)
        c.line(
            [(x - dx, y - dy), (x + dx, y + dy)],
            rng.choice((ACCENT, OCHRE, LAVENDER, OLIVE, TERRACOTTA)),
            6,
        )
    # A ballot box: the public votes.
    c.rect((700, 400, 860, 500), PAPER, radius=6)
    c.rect((700, 400, 860, 416), shade(ACCENT, 1.35))
    c.rect((740, 394, 820, 402), INK)
    c.polygon([(752, 396), (808, 396), (812, 330), (756, 336)], WHITE)
    c.line([(770, 352), (780, 366), (800, 340)], ACCENT, 6)


def newsletter(c: Canvas, rng: random.Random) -> None:
    """A letter coming out of its envelope, and a paper plane."""
    c.gradient((0, 0, WIDTH, HEIGHT), (248, 238, 222), PAPER)
    x0, y0, x1, y1 = 300, 240, 660, 470
    c.rect((x0, y0, x1, y1), shade(OCHRE, 1.2))
    c.rect((x0 + 30, 100, x1 - 30, 380), WHITE)
    c.rect((x0 + 30, 100, x1 - 30, 140), ACCENT)
    c.text(((x0 + x1) / 2, 120), "La lettre", 22, PAPER, anchor="mm")
    for row in range(6):
        c.rect(
            (x0 + 60, 160 + row * 26, x1 - 60 - rng.uniform(0, 80), 170 + row * 26), (200, 196, 190)
        )
    c.polygon([(x0, y0), ((x0 + x1) / 2, 380), (x1, y0), (x1, y1), (x0, y1)], shade(OCHRE, 1.1))
    c.polygon([(x0, y1), ((x0 + x1) / 2, 360), (x1, y1)], OCHRE)
    # The plane and its dotted trail.
    c.polygon([(760, 130), (900, 80), (800, 170)], ACCENT)
    c.polygon([(800, 170), (900, 80), (812, 140)], shade(ACCENT, 0.75))
    for i in range(9):
        t = i / 9
        c.circle(620 + 130 * t, 260 - 120 * t - 40 * math.sin(t * math.pi), 4, shade(ACCENT, 1.4))


SCENES: dict[Scene, Callable[[Canvas, random.Random], None]] = {
    Scene.HUB: hub,
    Scene.PRESERVES: lambda c, rng: workshop(c, rng, Scene.PRESERVES),
    Scene.SOAP: lambda c, rng: workshop(c, rng, Scene.SOAP),
    Scene.SEWING: lambda c, rng: workshop(c, rng, Scene.SEWING),
    Scene.WOODWORK: lambda c, rng: workshop(c, rng, Scene.WOODWORK),
    Scene.KITCHEN: kitchen,
    Scene.OFFICE: office,
    Scene.STUDIO: studio,
    Scene.BUILDING_SITE: building_site,
    Scene.MEETING: meeting,
    Scene.CONTEST: contest,
    Scene.NEWSLETTER: newsletter,
}


def caption_plate(c: Canvas, caption: str) -> None:
    """The name on a paper plate in the bottom left corner, like a shop sign."""
    size = 40
    while size > 22 and c.text_width(caption, size) > WIDTH - 140:
        size -= 2
    width = c.text_width(caption, size)
    x0, y1 = 36, HEIGHT - 32
    c.rect((x0 + 5, y1 - size - 40 + 5, x0 + width + 56 + 5, y1 + 5), shade(INK, 1.15), radius=10)
    c.rect((x0, y1 - size - 40, x0 + width + 56, y1), PAPER, radius=10)
    c.rect((x0, y1 - size - 40, x0 + 12, y1), ACCENT, radius=4)
    c.text((x0 + 34, y1 - 20 - size / 2), caption, size, INK, anchor="lm")


def illustrate(
    scene: Scene, *, seed: str, caption: str = "", size: tuple[int, int] = (WIDTH, HEIGHT)
) -> Image.Image:
    """Draw ``scene``; ``seed`` (say, the image's title) picks the people's looks and the
    details, the same every time; ``caption``, if given, is set on a plate over the scene."""
    digest = hashlib.sha256(f"{scene}:{seed}".encode()).digest()
    # Not for secrets: a reproducible picture is the point.
    rng = random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311
    c = Canvas()
    SCENES[scene](c, rng)
    if caption:
        caption_plate(c, caption)
    return c.finish(size)
