"""Demo content: the hub's real story, loaded idempotently.

Every object is looked up by a stable key (a slug under a known parent) and created only when
it is missing (``core.demo``). The home app builds the site's root content, then asks each app
for its part, handing it the home page and whatever it needs from another app's part.
"""

from __future__ import annotations

from wagtail.models import Site

from core.demo import DemoReport, ensure_image, ensure_page
from core.illustrations import Scene
from home.models import HomePage, NavigationSettings, SiteSettings, StandardPage
from legal.demo import load_legal_demo
from members.demo import CONTEST_ENTRANT_SLUG, load_members_demo
from members.models import MemberPage
from news.demo import load_news_demo
from news.models import ArticlePage
from newsletters.demo import load_newsletters_demo
from ops.site_url import sync_default_site
from programs.demo import load_programs_demo
from registrations.demo import load_registrations_demo


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
    ensure_hero_image(home, report)
    # Residents first: the programs demo enters one of them in La Fabrique Aviva, and the news
    # demo links articles to residents, partners and programs.
    load_members_demo(home, report)
    entrant = MemberPage.objects.filter(slug=CONTEST_ENTRANT_SLUG).first()
    load_programs_demo(home, report, contest_entrant=entrant)
    # A CMA training open for registration (full, with a waiting list) and a past meeting
    # whose attendees were checked in, for the registrations screens and attendance chart.
    load_registrations_demo(home, report)
    load_news_demo(home, report)
    # The first issue shows the latest articles as cards.
    load_newsletters_demo(home, report, card_types=[ArticlePage])
    # The legal notice, privacy policy and accessibility statement every footer links to.
    load_legal_demo(home, report)
    ensure_navigation(home, report)
    return report


def ensure_hero_image(home: HomePage, report: DemoReport) -> None:
    """Show the building in the home page's hero, unless an editor chose another image (or
    left a draft that publishing this change would put online)."""
    image = ensure_image("Les locaux du Carburateur", Scene.HUB, report)
    if home.hero_image_id is not None or home.has_unpublished_changes:
        return
    home.hero_image = image
    home.save_revision().publish()


#: The footer's links, by the slug of a page under the home page, with a shorter label if any.
#: The header menu is left to « Afficher dans les menus ».
FOOTER_LINKS = [
    ("le-carburateur", ""),
    ("partenaires", ""),
    ("lettres", "Les lettres d'information"),
]


def ensure_navigation(home: HomePage, report: DemoReport) -> NavigationSettings:
    """Fill the footer's links (the newsletter archive among them), unless someone already
    set them: an existing site whose footer is still empty gets them at its next load."""
    navigation = NavigationSettings.for_site(home.get_site())
    if navigation.footer_links:
        report.existing += 1
        return navigation
    pages = {page.slug: page for page in home.get_children().filter(slug__in=dict(FOOTER_LINKS))}
    navigation.footer_links = [
        ("item", {"page": pages[slug], "label": label})
        for slug, label in FOOTER_LINKS
        if slug in pages
    ]
    navigation.save()
    report.created += 1
    return navigation


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
