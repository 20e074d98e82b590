"""Demo content of the residents' directory: the hub's real residents and a few more.

Called by the site's ``load_demo`` command; like it, it only creates what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wagtail.models import Page

from core.demo import DemoReport, ensure_image, ensure_page
from core.illustrations import Scene

from .models import MemberIndexPage, MemberPage, SpaceType, Trade

TRADES = {
    "alimentation": "Alimentation",
    "batiment": "Bâtiment",
    "couture": "Couture et textile",
    "ebenisterie": "Ébénisterie",
    "cosmetique": "Cosmétique naturelle",
    "numerique": "Numérique",
    "photographie": "Photographie",
    "restauration": "Restauration",
}


@dataclass(frozen=True)
class DemoResident:
    slug: str
    company: str
    founders: str
    trade: str
    is_artisan: bool
    space_type: str
    since: date
    summary: str
    space_details: str = ""
    where_to_buy: str = ""


RESIDENTS = [
    DemoResident(
        "la-compagnie-des-bocaux",
        "La Compagnie des Bocaux",
        "Saïda et Thomas Palmieri",
        "alimentation",
        True,
        SpaceType.STORAGE,
        date(2017, 9, 1),
        "Des fruits et légumes bio de Provence, cuisinés sur place et vendus en bocaux de verre.",
        space_details="Un local de stockage et un poste en coworking",
        where_to_buy=("Dans les magasins bio, les épiceries fines et sur leur boutique en ligne."),
    ),
    DemoResident(
        "medinscop",
        "Medinscop",
        "Maxime Larabi",
        "batiment",
        True,
        SpaceType.STORAGE,
        date(2017, 6, 1),
        "Une coopérative d'activité et d'emploi qui accompagne les entrepreneurs du bâtiment.",
        space_details="Un grand espace de stockage",
    ),
    DemoResident(
        "atelier-fil-rouge",
        "Atelier Fil Rouge",
        "Nadia Benali",
        "couture",
        True,
        SpaceType.WORKSHOP,
        date(2018, 1, 15),
        "Retouches, créations sur mesure et tissus de récupération.",
    ),
    DemoResident(
        "bois-de-l-estaque",
        "Bois de l'Estaque",
        "Julien Ferracci",
        "ebenisterie",
        True,
        SpaceType.WORKSHOP,
        date(2017, 11, 6),
        "Mobilier en bois massif fabriqué à Marseille.",
    ),
    DemoResident(
        "savons-du-vallon",
        "Savons du Vallon",
        "Inès Haddad",
        "cosmetique",
        True,
        SpaceType.WORKSHOP,
        date(2018, 3, 1),
        "Savons saponifiés à froid avec des huiles de Provence.",
    ),
    DemoResident(
        "code-nord",
        "Code Nord",
        "Karim Ouali et Léa Martin",
        "numerique",
        False,
        SpaceType.OFFICE,
        date(2017, 10, 2),
        "Sites et applications pour les commerçants du quartier.",
    ),
    DemoResident(
        "studio-lumiere-15",
        "Studio Lumière 15",
        "Sofiane Amrani",
        "photographie",
        False,
        SpaceType.COWORKING,
        date(2018, 2, 12),
        "Photographie de produits et portraits d'entrepreneurs.",
    ),
    DemoResident(
        "les-marmites-du-nord",
        "Les Marmites du Nord",
        "Fatou Diallo",
        "restauration",
        True,
        SpaceType.STORAGE,
        date(2018, 4, 3),
        "Un traiteur de cuisine du monde pour les entreprises et les associations.",
    ),
]

# The resident the site's demo enters in the programs demo's contest.
CONTEST_ENTRANT_SLUG = "la-compagnie-des-bocaux"

# What a resident's logo shows: its trade at work, with its name on it.
TRADE_SCENES = {
    "alimentation": Scene.PRESERVES,
    "batiment": Scene.BUILDING_SITE,
    "couture": Scene.SEWING,
    "ebenisterie": Scene.WOODWORK,
    "cosmetique": Scene.SOAP,
    "numerique": Scene.OFFICE,
    "photographie": Scene.STUDIO,
    "restauration": Scene.KITCHEN,
}


def load_members_demo(home: Page, report: DemoReport) -> None:
    """Build the directory and its residents under ``home``."""
    directory = ensure_page(
        home,
        MemberIndexPage,
        "residents",
        {
            "title": "Les résidents",
            "show_in_menus": True,
            "introduction": (
                "Artisans, commerçants, coopératives : les entreprises accueillies et "
                "hébergées au Carburateur."
            ),
        },
        report,
    )
    trades = {}
    for slug, name in TRADES.items():
        trade, created = Trade.objects.get_or_create(slug=slug, defaults={"name": name})
        report.created += created
        report.existing += not created
        trades[slug] = trade
    for resident in RESIDENTS:
        if directory.get_children().filter(slug=resident.slug).exists():
            report.existing += 1
            continue
        scene = TRADE_SCENES.get(resident.trade, Scene.HUB)
        logo = ensure_image(f"Logo {resident.company}", scene, report, caption=resident.company)
        ensure_page(
            directory,
            MemberPage,
            resident.slug,
            {
                "title": resident.company,
                "company_name": resident.company,
                "founders": resident.founders,
                "trade": trades[resident.trade],
                "is_artisan": resident.is_artisan,
                "space_type": resident.space_type,
                "space_details": resident.space_details,
                "where_to_buy": resident.where_to_buy,
                "resident_since": resident.since,
                "summary": resident.summary,
                "logo": logo,
            },
            report,
        )
