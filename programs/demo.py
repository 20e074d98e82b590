"""Demo content of the programs app: the CMA partnership, programs, upcoming events, the contest.

``load_programs_demo`` is meant to be called by the site's ``load_demo`` command. Like it, it
looks every page up by its slug under a known parent and only creates what is missing, so a
second run changes nothing. Dates are set relative to the day of the first run.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Page

from core.demo import DemoReport, ensure_page

from .models import (
    ContestEntry,
    ContestIndexPage,
    ContestPage,
    EventIndexPage,
    EventPage,
    PartnerIndexPage,
    PartnerPage,
    ProgramIndexPage,
    ProgramKind,
    ProgramPage,
)

PARIS = ZoneInfo("Europe/Paris")


def _paragraph(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def next_april_11(today: date) -> date:
    """The next 11 April to come (today included), so that the demo contest is live."""
    this_year = date(today.year, 4, 11)
    return this_year if this_year >= today else date(today.year + 1, 4, 11)


def load_programs_demo(home: Page, report: DemoReport, contest_entrant: Page | None) -> None:
    """Build partners, programs, events and contests under ``home``; ``contest_entrant`` (a
    resident of the members' demo) is entered in the contest when given."""
    partners = ensure_page(
        home,
        PartnerIndexPage,
        "partenaires",
        {
            "title": "Partenaires",
            "show_in_menus": True,
            "introduction": "Les organisations qui font vivre le hub.",
        },
        report,
    )
    cma = ensure_page(
        partners,
        PartnerPage,
        "cma",
        {
            "title": "Chambre de métiers et de l'artisanat",
            "short_name": "CMA",
            "introduction": (
                "La Chambre de métiers et de l'artisanat accompagne les artisans des "
                "Bouches-du-Rhône, de la création à la transmission de leur entreprise."
            ),
            "convention": (
                "<p>Une convention de partenariat lie la CMA et le Carburateur pour mutualiser "
                "les savoir-faire des deux partenaires au service des créateurs des quartiers "
                "Nord.</p>"
            ),
            "contact_name": "Délégation des Bouches-du-Rhône",
            "website": "https://www.cmar-paca.fr/",
            "body": [
                _paragraph(
                    "Depuis début 2017, la CMA tient au Carburateur des réunions d'information "
                    "et des rendez-vous avec ses experts, et y propose des formations gratuites "
                    "pour les artisans."
                )
            ],
        },
        report,
    )
    programs = ensure_page(
        home,
        ProgramIndexPage,
        "programmes",
        {
            "title": "Programmes",
            "show_in_menus": True,
            "introduction": "Accueillir, accompagner, héberger, former.",
        },
        report,
    )
    catalogue = [
        ("accompagnement", "Accompagnement à la création", ProgramKind.COACHING, None, True),
        ("hebergement", "Hébergement au Carburateur", ProgramKind.HOSTING, None, True),
        ("reunions-cma", "Réunions d'information", ProgramKind.INFORMATION_MEETING, cma, True),
        (
            "rendez-vous-experts",
            "Rendez-vous d'experts",
            ProgramKind.EXPERT_APPOINTMENT,
            cma,
            False,
        ),
        (
            "formations-artisans",
            "Formations gratuites pour artisans",
            ProgramKind.TRAINING,
            cma,
            True,
        ),
    ]
    by_slug: dict[str, ProgramPage] = {}
    for slug, title, kind, partner, featured in catalogue:
        paid = kind == ProgramKind.HOSTING
        by_slug[slug] = ensure_page(
            programs,
            ProgramPage,
            slug,
            {
                "title": title,
                "kind": kind,
                "partner": partner,
                "featured": featured,
                "is_free": not paid,
                "price": "Selon l'espace : coworking, bureau, atelier ou stockage" if paid else "",
                "audience": "Artisans et créateurs d'entreprise" if partner else "Jeunes créateurs",
                "summary": f"{title} au Carburateur, dans le 15e arrondissement de Marseille.",
            },
            report,
        )
    agenda = ensure_page(
        home,
        EventIndexPage,
        "agenda",
        {
            "title": "Agenda",
            "show_in_menus": True,
            "introduction": "Les prochains rendez-vous au Carburateur.",
        },
        report,
    )
    today = timezone.localdate()
    sessions = [
        ("reunions-cma", "Réunion d'information création d'entreprise", 18, 2),
        ("rendez-vous-experts", "Rendez-vous d'experts : financement", 9, 3),
        ("formations-artisans", "Formation : fixer ses prix", 9, 7),
    ]
    for week in range(1, 5):
        for offset, (program_slug, title, hour, hours) in enumerate(sessions):
            day = today + timedelta(weeks=week, days=offset)
            ensure_page(
                agenda,
                EventPage,
                f"{program_slug}-semaine-{week}",
                {
                    "title": title,
                    "program": by_slug[program_slug],
                    "start": _at(day, hour),
                    "end": _at(day, hour + hours),
                    "place": "Le Carburateur, Marseille 15e",
                    "capacity": 20,
                    "registration_text": "Inscription gratuite à l'accueil du Carburateur.",
                },
                report,
            )
    contests = ensure_page(
        home,
        ContestIndexPage,
        "concours",
        {
            "title": "Concours",
            "show_in_menus": True,
            "introduction": "Votez pour les résidents du Carburateur.",
        },
        report,
    )
    closes = _at(next_april_11(today), 23, 59)
    aviva = ensure_page(
        contests,
        ContestPage,
        "la-fabrique-aviva",
        {
            "title": "La Fabrique Aviva",
            "organiser": "Aviva France",
            "organiser_url": "https://lafabrique.aviva.fr/",
            "description": "<p>La Fabrique Aviva soutient des projets utiles et innovants.</p>",
            "vote_url": "https://lafabrique.aviva.fr/",
            "vote_opens_at": min(_at(today - timedelta(days=7), 9), closes - timedelta(days=42)),
            "vote_closes_at": closes,
        },
        report,
    )
    # Entered through a published revision so that the admin's edit form shows the entry too.
    entrant = contest_entrant
    if entrant is not None and not aviva.entries.filter(member=entrant).exists():
        aviva.entries.add(ContestEntry(member=entrant, project="Des bocaux bio et provençaux"))
        aviva.save_revision().publish()
        report.created += 1
