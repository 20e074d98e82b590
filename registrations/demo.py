"""Demo content of the registrations: a CMA training open for registration, full with a waiting
list, and a past information meeting whose attendees were checked in.

``load_registrations_demo`` is meant to be called by the site's ``load_demo`` command after the
programs demo (it uses its agenda, programs and CMA partner page). The events are looked up by
their slug and their registrations created only for an event that has none, so a second run
changes nothing. Registrations are written directly, not through ``services.register``: the
demo's people must not be mailed. Both events are joint with the CMA, as its trainings and
meetings are, so ``load_demo`` loads them under its chamber bypass.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from core.demo import DemoReport, ensure_page
from mailing.addresses import address_hash
from pagecache import bump
from programs.demo import CMA_ORGANISER, EVENT_ACCESSIBILITY, next_working_day
from programs.models import EventIndexPage, EventPage, PartnerPage, ProgramPage

from .models import Registration, RegistrationDesk
from .services import seats_tag

PARIS = ZoneInfo("Europe/Paris")
TRAINING_SLUG = "formation-creer-son-entreprise-artisanale"
PAST_MEETING_SLUG = "reunion-information-creation-passee"
TRAINING_CAPACITY = 12

#: The training's questions, as an editor would enter them on the event page.
QUESTIONS = [
    {
        "type": "text",
        "id": "demo-activite",
        "value": {
            "label": "Votre activité",
            "required": True,
            "help_text": "Par exemple : ébénisterie, coiffure à domicile, pâtisserie.",
        },
    },
    {
        "type": "choice",
        "id": "demo-situation",
        "value": {
            "label": "Votre situation",
            "required": True,
            "help_text": "",
            "choices": ["Projet", "Entreprise de moins de 3 ans", "Entreprise installée"],
        },
    },
    {
        "type": "yes_no",
        "id": "demo-siret",
        "value": {"label": "Avez-vous déjà un numéro SIRET ?", "required": False, "help_text": ""},
    },
]

#: Name, activity, situation, SIRET: the training's registrants (the first 12 get a seat).
TRAINING_PEOPLE = [
    ("Nadia Benali", "Boulangerie", "Projet", "non"),
    ("Karim Haddad", "Menuiserie", "Entreprise de moins de 3 ans", "oui"),
    ("Sophie Marchetti", "Couture et retouches", "Projet", "non"),
    ("Youssef Amrani", "Plomberie", "Entreprise installée", "oui"),
    ("Claire Rouvier", "Pâtisserie", "Projet", "non"),
    ("Malik Diallo", "Électricité", "Entreprise de moins de 3 ans", "oui"),
    ("Inès Ferhat", "Coiffure à domicile", "Entreprise de moins de 3 ans", "oui"),
    ("Lucas Giordano", "Ébénisterie", "Projet", "non"),
    ("Amina Saïdi", "Traiteur", "Projet", "non"),
    ("Thomas Palmieri", "Conserverie", "Entreprise installée", "oui"),
    ("Fatou Ndiaye", "Esthétique", "Entreprise de moins de 3 ans", "oui"),
    ("Julien Ortega", "Serrurerie", "Entreprise installée", "oui"),
    ("Samia Belkacem", "Fleuriste", "Projet", "non"),
    ("Hugo Lambert", "Réparation de vélos", "Projet", "non"),
]
#: The past meeting's registrants, and whether they came.
MEETING_PEOPLE = [
    ("Rachid Benyamina", True),
    ("Laura Costa", True),
    ("Mehdi Zerrouki", False),
    ("Élodie Vidal", True),
    ("Omar Kaci", True),
    ("Chloé Martin", False),
    ("Bilal Messaoudi", True),
    ("Camille Roux", True),
]
CONSENT_TEXT = (
    "J'accepte que mes coordonnées et mes réponses servent à organiser cet événement, "
    "avec la CMA pour les événements conjoints."
)


def _address(name: str) -> str:
    """A demo address no one owns (example.org is reserved)."""
    plain = name.lower().replace(" ", ".")
    for accented, letter in (("é", "e"), ("è", "e"), ("ï", "i"), ("ë", "e")):
        plain = plain.replace(accented, letter)
    return f"{plain}@example.org"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def _past_working_day(today: date, days_ago: int) -> date:
    """A working day about ``days_ago`` days ago (the next one if that day is off, still past)."""
    return next_working_day(today - timedelta(days=days_ago))


def load_registrations_demo(home: Page, report: DemoReport) -> None:
    """Build the training open for registration and the past meeting under the agenda."""
    agenda = EventIndexPage.objects.child_of(home).get(slug="agenda")
    cma = PartnerPage.objects.get(slug="cma")
    training_program = ProgramPage.objects.get(slug="formations-artisans")
    meeting_program = ProgramPage.objects.get(slug="reunions-cma")
    today = timezone.localdate()

    training_day = next_working_day(today + timedelta(days=10))
    training = ensure_page(
        agenda,
        EventPage,
        TRAINING_SLUG,
        {
            "title": "Formation : créer son entreprise artisanale",
            "program": training_program,
            "joint_partner": cma,
            "start": _at(training_day, 9),
            "end": _at(training_day, 17),
            "place": "Salle de formation, Le Carburateur",
            "accessibility": EVENT_ACCESSIBILITY,
            "capacity": TRAINING_CAPACITY,
            "registration_open": True,
            "registration_deadline": _at(training_day - timedelta(days=2), 18),
            "waiting_list": True,
            "reminder_morning": True,
            "registration_questions": QUESTIONS,
            **CMA_ORGANISER,
            "body": [
                (
                    "paragraph",
                    "<p>Une journée avec un conseiller de la CMA pour passer de l'idée à "
                    "l'immatriculation : statut, assurances, premiers devis et aides au "
                    "démarrage. Gratuit, sur inscription.</p>",
                )
            ],
        },
        report,
    )
    meeting_day = _past_working_day(today, 24)
    meeting = ensure_page(
        agenda,
        EventPage,
        PAST_MEETING_SLUG,
        {
            "title": "Réunion d'information création d'entreprise",
            "program": meeting_program,
            "joint_partner": cma,
            "start": _at(meeting_day, 18),
            "end": _at(meeting_day, 20),
            "place": "Salle de formation, Le Carburateur",
            "accessibility": EVENT_ACCESSIBILITY,
            "capacity": 20,
            "registration_open": True,
            "waiting_list": False,
            **CMA_ORGANISER,
            "body": [
                (
                    "paragraph",
                    "<p>Deux heures pour comprendre les étapes de la création d'une entreprise "
                    "artisanale, avec un conseiller de la CMA.</p>",
                )
            ],
        },
        report,
    )
    _training_registrations(training, report)
    _meeting_registrations(meeting, report)


def _new_registration(event: EventPage, name: str, moment: datetime, **fields: object) -> None:
    email = _address(name)
    registration = Registration.objects.create(
        event=event,
        name=name,
        email=email,
        address_hash=address_hash(email),
        consent_text=CONSENT_TEXT,
        **fields,
    )
    # created_at is set on insert: the demo's people registered over the past days.
    Registration.objects.filter(pk=registration.pk).update(created_at=moment)


def _training_registrations(event: EventPage, report: DemoReport) -> None:
    if event.registrations.exists():
        report.existing += 1
        return
    start = timezone.now() - timedelta(days=6)
    with transaction.atomic():
        RegistrationDesk.objects.get_or_create(event=event)
        for index, (name, activity, situation, siret) in enumerate(TRAINING_PEOPLE):
            moment = start + timedelta(hours=9 * index)
            seated = index < TRAINING_CAPACITY
            answers = [
                {"id": "demo-activite", "label": "Votre activité", "answer": activity},
                {"id": "demo-situation", "label": "Votre situation", "answer": situation},
                {"id": "demo-siret", "label": "Avez-vous déjà un numéro SIRET ?", "answer": siret},
            ]
            _new_registration(
                event,
                name,
                moment,
                status=Registration.Status.CONFIRMED if seated else Registration.Status.WAITING,
                confirmed_at=moment if seated else None,
                waiting_since=None if seated else moment,
                answers=answers,
            )
        bump(seats_tag(event.pk))
    report.created += 1


def _meeting_registrations(event: EventPage, report: DemoReport) -> None:
    if event.registrations.exists():
        report.existing += 1
        return
    start = event.start - timedelta(days=12)
    with transaction.atomic():
        RegistrationDesk.objects.get_or_create(event=event)
        for index, (name, came) in enumerate(MEETING_PEOPLE):
            moment = start + timedelta(days=index)
            _new_registration(
                event,
                name,
                moment,
                status=Registration.Status.CONFIRMED,
                confirmed_at=moment,
                checked_in_at=event.start + timedelta(minutes=5 + index) if came else None,
            )
        # One person cancelled the day before: the counts show cancellations too.
        _new_registration(
            event,
            "Nicolas Fabre",
            start,
            status=Registration.Status.CANCELLED,
            confirmed_at=start,
            cancelled_at=event.start - timedelta(days=1),
        )
        bump(seats_tag(event.pk))
    report.created += 1
