"""Draw ``site/static/img/logo-email.png``, the logo at the top of every HTML email.

Mail clients do not show SVG, so the favicon's mark (``img/favicon.svg``) is drawn again here
with Pillow, next to the site's name in DejaVu Sans Bold (Latin-1 glyphs, shipped by Debian).
The PNG is committed; run this command again only when the mark, the name or the palette
change. It is drawn at twice its displayed size (``LOGO_WIDTH`` x ``LOGO_HEIGHT`` in the email)
for sharp high-density screens, on white: a transparent logo disappears on a dark-mode client.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from django.conf import settings
from django.core.management.base import BaseCommand

# The size the email's <img> declares; the file is twice as large.
LOGO_WIDTH = 244
LOGO_HEIGHT = 48
SCALE = 2
# Drawn larger again, then reduced: Pillow's shapes have no anti-aliasing of their own.
SUPERSAMPLE = 4

ACCENT = "#8f1d16"  # --accent in site/static/css/site.css
INK = "#1b1b1f"  # --ink
SPARK = "#ffd166"  # the favicon's dot (--focus-on-dark)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
TARGET = Path(settings.BASE_DIR) / "site" / "static" / "img" / "logo-email.png"


def draw_logo(name: str, font_path: Path = FONT) -> Image.Image:
    """The mark (the favicon's 64-unit drawing, at the logo's height) and ``name`` beside it."""
    px = SCALE * SUPERSAMPLE
    width, height = LOGO_WIDTH * px, LOGO_HEIGHT * px
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    unit = height / 64  # the favicon's viewBox is 64 x 64

    def at(value: float) -> float:
        return value * unit

    draw.rounded_rectangle((0, 0, height - 1, height - 1), radius=at(14), fill=ACCENT)
    # The "C": an arc of radius 16 round (32, 32), open on the right, 8 units thick, round ends.
    radius, stroke, opening = 16, 8, math.degrees(math.atan2(11.5, 12))
    low, high = at(32 - radius - stroke / 2), at(32 + radius + stroke / 2)
    box = (low, low, high, high)
    draw.arc(box, start=opening, end=360 - opening, fill="white", width=round(at(stroke)))
    for angle in (opening, -opening):
        x = 32 + radius * math.cos(math.radians(angle))
        y = 32 + radius * math.sin(math.radians(angle))
        cap = stroke / 2
        draw.ellipse((at(x - cap), at(y - cap), at(x + cap), at(y + cap)), fill="white")
    draw.ellipse((at(46 - 4.5), at(32 - 4.5), at(46 + 4.5), at(32 + 4.5)), fill=SPARK)

    font = ImageFont.truetype(str(font_path), size=round(21 * px))
    _left, top, right, bottom = draw.textbbox((0, 0), name, font=font)
    x = height + 12 * px
    y = (height - (bottom - top)) / 2 - top
    draw.text((x, y), name, font=font, fill=INK)
    if x + right > width:
        raise ValueError(f"« {name} » is wider than the logo: raise LOGO_WIDTH.")
    return image.resize((LOGO_WIDTH * SCALE, LOGO_HEIGHT * SCALE), Image.Resampling.LANCZOS)


class Command(BaseCommand):
    help = "Dessine le logo des courriels (site/static/img/logo-email.png)."

    def handle(self, *args: Any, **options: Any) -> None:
        draw_logo(settings.WAGTAIL_SITE_NAME).save(TARGET, optimize=True)
        self.stdout.write(f"{TARGET} ({LOGO_WIDTH * SCALE} x {LOGO_HEIGHT * SCALE})")
