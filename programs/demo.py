"""Demo content of the programs app: the CMA partnership, programs, upcoming events, the contest.

``load_programs_demo`` is meant to be called by the site's ``load_demo`` command. Like it, it
looks every page up by its slug under a known parent and only creates what is missing, so a
second run changes nothing. Dates are set relative to the day of the first run, on working
days: never a weekend, a French public holiday or Christmas Eve.
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


# The chamber's delegation: its address, switchboard and creation desk.
CMA_CONTACT = {
    "name_in_sentence": "la CMA",
    "contact_name": "Délégation des Bouches-du-Rhône",
    "address": "5 boulevard Pèbre\n13008 Marseille",
    "contact_phone": "04 91 32 24 24",
    "contact_email": "creation13@cmar-paca.fr",
}
CMA_ORGANISER = {
    "organiser_name": "Pôle création de la CMA",
    "organiser_email": "creation13@cmar-paca.fr",
    "organiser_phone": "04 91 32 24 24",
}
EVENT_ACCESSIBILITY = (
    "Accès PMR de plain-pied, ascenseur vers les étages, toilettes adaptées. "
    "Prévenez-nous d'un besoin particulier (interprète LSF, boucle magnétique)."
)
EVENT_DESCRIPTIONS = {
    "reunions-cma": (
        "Deux heures pour comprendre les étapes de la création d'une entreprise artisanale : "
        "statut, immatriculation, aides au démarrage et financement. Un conseiller de la CMA "
        "répond ensuite aux questions de chacun."
    ),
    "rendez-vous-experts": (
        "Un rendez-vous individuel de quarante-cinq minutes avec un expert du financement "
        "(prêt d'honneur, microcrédit, banque) : venez avec votre prévisionnel, même ébauché."
    ),
    "formations-artisans": (
        "Une journée pour calculer son coût de revient, fixer un prix qui rémunère son travail "
        "et savoir l'expliquer à ses clients. Exercices sur vos propres produits."
    ),
}


def fill_blank_fields(page: Page, fields: dict[str, str], report: DemoReport) -> None:
    """Give a page created by an earlier demo the values of fields added since, leaving alone
    every field someone filled in, and publish it if anything changed."""
    blank = {name: value for name, value in fields.items() if not getattr(page, name)}
    if not blank:
        return
    for name, value in blank.items():
        setattr(page, name, value)
    page.save_revision().publish()
    report.created += 1


def _paragraph(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def days_off(year: int) -> set[date]:
    """France's public holidays of ``year``, and Christmas Eve, when nobody comes to a session."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 24), (12, 25)]
    movable = [easter + timedelta(days=n) for n in (1, 39, 50)]  # Monday, Ascension, Whit Monday
    return {date(year, month, day) for month, day in fixed} | set(movable)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day (Monday to Friday, not a day off), else the next."""
    while day.weekday() >= 5 or day in days_off(day.year):
        day += timedelta(days=1)
    return day


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
            **CMA_CONTACT,
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
    fill_blank_fields(cma, CMA_CONTACT, report)
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
            day = next_working_day(today + timedelta(weeks=week, days=offset))
            ensure_page(
                agenda,
                EventPage,
                f"{program_slug}-semaine-{week}",
                {
                    "title": title,
                    "program": by_slug[program_slug],
                    "start": _at(day, hour),
                    "end": _at(day, hour + hours),
                    "place": "Salle de formation, Le Carburateur",
                    "accessibility": EVENT_ACCESSIBILITY,
                    "capacity": 20,
                    "registration_text": "Inscription gratuite à l'accueil du Carburateur.",
                    **(CMA_ORGANISER if by_slug[program_slug].partner_id == cma.pk else {}),
                    "body": [_paragraph(EVENT_DESCRIPTIONS[program_slug])],
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
