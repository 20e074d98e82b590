"""Demo content: the hub's real story, loaded idempotently.

Every object is looked up by a stable key (a slug under a known parent) and created only when
it is missing. A second run therefore changes nothing, and `make run`, which loads the demo at
every start, never overwrites what someone edited locally in the admin.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from PIL import Image as PillowImage
from PIL import ImageDraw

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site

from home.models import HomePage, SiteSettings, StandardPage
from ops.site_url import sync_default_site


@dataclass
class DemoReport:
    """How many demo objects a run created, and how many it found already there."""

    created: int = 0
    existing: int = 0


def ensure_page(
    parent: Page, model: type[Page], slug: str, fields: dict[str, Any], report: DemoReport
) -> Page:
    """Return the page ``parent/slug``, creating and publishing it from ``fields`` if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        report.existing += 1
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.created += 1
    return page


def ensure_image(
    title: str, text: str, colour: tuple[int, int, int], report: DemoReport
) -> AbstractImage:
    """Return the image titled ``title``, generating it locally (never downloaded) if missing.

    The picture is a plain coloured card with ``text`` on it: enough for listings to look real
    without shipping or fetching photographs.
    """
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        report.existing += 1
        return existing
    picture = PillowImage.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 40, 920, 500), outline=(255, 255, 255), width=6)
    lines = textwrap.wrap(text, width=24)[:3]
    top = 270 - 35 * len(lines)
    for number, line in enumerate(lines):
        draw.text((80, top + 70 * number), line, fill=(255, 255, 255), font_size=56)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    image = image_model(title=title, file=ImageFile(buffer, name=f"demo-{slug}.png"))
    image.save()
    report.created += 1
    return image


def load_demo_content() -> DemoReport:
    """Build the demo site under the default site's home page."""
    report = DemoReport()
    # Every link the demo's pages, feeds and emails show says SITE_URL, even in a database
    # migrated under another one.
    sync_default_site()
    home = Site.objects.get(is_default_site=True).root_page.specific
    if not isinstance(home, HomePage):
        raise TypeError("La racine du site par défaut doit être la page d'accueil.")
    ensure_page(
        home,
        StandardPage,
        "le-carburateur",
        {
            "title": "Le Carburateur",
            "show_in_menus": True,
            "introduction": (
                "1 800 m² de locaux neufs au cœur des quartiers Nord de Marseille, dans le 15e "
                "arrondissement, pour accueillir, accompagner et héberger les jeunes créateurs "
                "d'entreprise, dont beaucoup d'artisans."
            ),
        },
        report,
    )
    ensure_site_settings(home.get_site(), report)
    # Residents first: the programs demo enters one of them in La Fabrique Aviva, and the news
    # demo links articles to residents, partners and programs.
    from members.demo import load_members_demo
    from news.demo import load_news_demo
    from newsletters.demo import load_newsletters_demo
    from programs.demo import load_programs_demo

    load_members_demo(home, report)
    load_programs_demo(home, report)
    load_news_demo(home, report)
    load_newsletters_demo(home, report)
    return report


def ensure_site_settings(site: Site, report: DemoReport) -> SiteSettings:
    """Fill the footer's contact details, unless someone already entered them."""
    settings = SiteSettings.for_site(site)
    if settings.postal_code or settings.contact_email:
        report.existing += 1
        return settings
    settings.address = "Pôle entrepreneurial Le Carburateur"
    settings.postal_code = "13015"
    settings.city = "Marseille"
    settings.contact_email = "bonjour@lecarburateur.fr"
    settings.opening_hours = "Du lundi au vendredi, de 9 h à 18 h\nSur rendez-vous le samedi"
    settings.save()
    report.created += 1
    return settings
