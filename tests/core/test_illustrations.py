"""The demo's images are flat illustrations, reproducible, with legible French captions."""

from __future__ import annotations

from collections import Counter

import pytest
from PIL import Image, ImageFont

from core.demo import DemoReport, ensure_image
from core.illustrations import BOLD_FONT, HEIGHT, WIDTH, Scene, font, illustrate

FRENCH = "présidente Lumière àâéèêëîïôöùûüÿç ÀÂÉÈÊËÎÏÔÙÛÜÇ «»"


def _glyph(typeface: ImageFont.FreeTypeFont, character: str) -> tuple[tuple[int, int], bytes]:
    mask = typeface.getmask(character)
    return mask.size, bytes(mask)


def test_font__is_shipped_with_its_licence() -> None:
    """No system font is needed: a CI machine without fonts-dejavu draws the same pictures."""
    assert BOLD_FONT.is_file()
    assert "Bitstream" in (BOLD_FONT.parent / "LICENSE").read_text()


def test_font__has_a_glyph_for_every_french_letter() -> None:
    """A letter the font lacks is drawn as its .notdef box, the same for every missing letter."""
    typeface = font(40)
    notdef = _glyph(typeface, "\ue000")  # a private-use code point no font draws
    boxes = [ch for ch in FRENCH if not ch.isspace() and _glyph(typeface, ch) == notdef]
    assert boxes == []


@pytest.mark.parametrize("scene", list(Scene))
def test_illustrate__draws_a_picture_not_a_coloured_block(scene: Scene) -> None:
    picture = illustrate(scene, seed="Le Carburateur")

    assert picture.size == (WIDTH, HEIGHT)
    assert picture.mode == "RGB"
    pixels = Counter(picture.resize((240, 135), Image.Resampling.NEAREST).get_flattened_data())
    # A plain card with a caption is one colour for most of its surface, and a handful more.
    assert pixels.most_common(1)[0][1] < 0.5 * 240 * 135
    assert len(pixels) > 200


@pytest.mark.parametrize("scene", [Scene.MEETING, Scene.PRESERVES])
def test_illustrate__is_reproducible_and_the_seed_varies_the_details(scene: Scene) -> None:
    first = illustrate(scene, seed="Logo Medinscop").tobytes()

    assert illustrate(scene, seed="Logo Medinscop").tobytes() == first
    assert illustrate(scene, seed="Logo Code Nord").tobytes() != first


def test_illustrate__sets_the_caption_on_the_picture() -> None:
    plain = illustrate(Scene.STUDIO, seed="Studio Lumière 15")
    captioned = illustrate(Scene.STUDIO, seed="Studio Lumière 15", caption="Studio Lumière 15")

    # The plate sits in the bottom left corner, and nowhere else.
    assert (
        plain.crop((0, 420, 480, HEIGHT)).tobytes()
        != captioned.crop((0, 420, 480, HEIGHT)).tobytes()
    )
    assert plain.crop((0, 0, WIDTH, 380)).tobytes() == captioned.crop((0, 0, WIDTH, 380)).tobytes()


@pytest.mark.django_db
def test_ensure_image__stores_the_illustration_once() -> None:
    report = DemoReport()

    image = ensure_image("Logo Bois de l'Estaque", Scene.WOODWORK, report, caption="Bois")
    again = ensure_image("Logo Bois de l'Estaque", Scene.WOODWORK, report, caption="Bois")

    assert again.pk == image.pk
    assert (report.created, report.existing) == (1, 1)
    assert (image.width, image.height) == (WIDTH, HEIGHT)
    with image.open_file() as stored:
        picture = Image.open(stored)
        assert picture.format == "PNG"
        expected = illustrate(Scene.WOODWORK, seed="Logo Bois de l'Estaque", caption="Bois")
        assert picture.convert("RGB").tobytes() == expected.tobytes()
