"""Public images are responsive: a <picture> in AVIF and WebP with a fallback, several widths,
their size written out, lazy below the fold and eager above it."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from PIL import Image as PillowImage

from django.core.management import call_command

from wagtail.images.models import Image

from core.images import LOGO_FORMATS, PHOTO_FORMATS, PROFILES
from tests.factories.pages import ImageFactory
from tests.factories.programs import PartnerPageFactory
from tests.home.html import fragment

pytestmark = pytest.mark.django_db


ALT = "La façade des locaux, vue de la rue"


def image_body(image: Image) -> str:
    """A page body holding ``image``, as the editor's form saves it."""
    value = {"image": image.pk, "alt_text": ALT, "decorative": False}
    return json.dumps([{"type": "image", "value": value}])


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def srcset_of(picture: str, mime_type: str) -> list[tuple[str, int]]:
    """(URL, width) of each candidate of the <source> of ``mime_type``."""
    source = re.search(rf'<source sizes="[^"]+" srcset="([^"]+)" type="{mime_type}">', picture)
    assert source, f"no {mime_type} source in {picture}"
    return [(url, int(width)) for url, width in re.findall(r"(\S+) (\d+)w", source[1])]


def img_attrs(picture: str) -> dict[str, str]:
    tag = re.search(r"<img [^>]+>", picture)
    assert tag, picture
    return dict(re.findall(r'(\w+)="([^"]*)"', tag[0]))


def test_profiles__make_every_size_in_avif_webp_and_a_fallback() -> None:
    for name, profile in PROFILES.items():
        assert profile.formats in (PHOTO_FORMATS, LOGO_FORMATS), name
        assert profile.formats[:2] == ("avif", "webp"), name
        assert len(profile.specs) == len(profile.resizes) * 3, name


def test_image_in_a_body__is_a_lazy_picture_in_avif_and_webp_at_three_widths(
    client, publish_page, image: Image
) -> None:
    page = publish_page("Les locaux", slug="locaux", body=image_body(image))
    html = client.get(page.url).content.decode()
    body_picture = fragment(html, '<figure class="image">', "</figure>")
    [picture] = pictures(body_picture)
    for mime_type, extension in (("image/avif", ".avif"), ("image/webp", ".webp")):
        candidates = srcset_of(picture, mime_type)
        assert [width for _url, width in candidates] == [800, 400, 1200]
        assert all(url.endswith(extension) for url, _width in candidates)
    img = img_attrs(picture)
    assert img["src"].endswith(".jpg")
    assert (img["width"], img["height"]) == ("800", "514")  # 1400x900 drawn 800 wide
    assert img["sizes"] == PROFILES["body"].sizes
    assert img["srcset"].count("w,") == 2
    assert img["loading"] == "lazy"
    assert img["decoding"] == "async"
    assert img["alt"] == ALT


def test_avif_and_webp_renditions__really_are_in_those_formats(
    client, publish_page, image: Image
) -> None:
    page = publish_page("Les locaux", slug="locaux", body=image_body(image))
    client.get(page.url)
    formats = {
        rendition.filter_spec.rsplit("format-", 1)[1]: rendition
        for rendition in image.renditions.filter(filter_spec__startswith="width-800|")
    }
    assert set(formats) == {"avif", "webp", "jpeg"}
    for spec_format, rendition in formats.items():
        with rendition.file.open() as file, PillowImage.open(file) as decoded:
            assert decoded.format == spec_format.upper()
            assert decoded.size == (800, 514)


def test_a_small_image__is_not_listed_twice_at_the_same_width(client, publish_page) -> None:
    small = ImageFactory(
        title="Petite", file__filename="petite.png", file__width=300, file__height=200
    )
    page = publish_page("Petite", slug="petite", body=image_body(small))
    [picture] = pictures(client.get(page.url).content.decode())
    # Wagtail never enlarges: 400, 800 and 1200 wide all give the original 300, listed once.
    for extension in ("avif", "webp"):
        srcset = re.search(rf'srcset="([^"]+)" type="image/{extension}"', picture)[1]
        assert "," not in srcset
        assert srcset.endswith(f".{extension}")
    assert "srcset" not in img_attrs(picture)
    assert img_attrs(picture)["width"] == "300"


def test_joint_badge_logo__is_above_the_fold_so_never_lazy(
    client, publish_page, image: Image
) -> None:
    partner = PartnerPageFactory(title="CMA", slug="cma", logo=image)
    page = publish_page("Visite", slug="visite", joint_partner=partner)
    html = client.get(page.url).content.decode()
    badge = fragment(html, '<aside class="joint-badge"', "</aside>")
    [picture] = pictures(badge)
    assert 'type="image/avif"' in picture
    assert 'type="image/webp"' in picture
    img = img_attrs(picture)
    assert img["src"].endswith(".png")  # a logo keeps its transparency
    assert "loading" not in img
    assert img["height"] == "64"


def test_generate_renditions__makes_every_profile_ahead_of_the_first_visit() -> None:
    small = ImageFactory(
        title="Petite", file__filename="petite.png", file__width=120, file__height=80
    )
    out = StringIO()
    call_command("generate_renditions", "--profile", "badge_logo", "--profile", "body", stdout=out)
    made = set(small.renditions.values_list("filter_spec", flat=True))
    assert made == {*PROFILES["badge_logo"].specs, *PROFILES["body"].specs}
    assert "Déclinaisons prêtes pour 1 image(s)." in out.getvalue()
