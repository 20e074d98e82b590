"""The agenda: dated sessions of programs, their listing and their iCalendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.db.models import Min, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cards import register_card
from core.french import datetime_range_fr, phone_uri
from core.models import BasePage
from core.structured_data import (
    Data,
    euro_offer,
    image_url,
    iso_datetime,
    organization,
    page_url,
    place,
    postal_address,
    reference,
    with_context,
)
from editorial.mixins import JointContentMixin
from pagecache import collecting, memo, record, type_tag, valid_until
from pagecache.listings import listing_variant

from ..ical import CalendarEvent, render_calendar
from ..registration_blocks import RegistrationQuestionsBlock
from .base import ListingPage, paginate

CALENDAR_NAME = _("Agenda du Carburateur")
#: A search on OpenStreetMap: a link the visitor follows, nothing is loaded from the page.
MAP_SEARCH_URL = "https://www.openstreetmap.org/search"
UID_DOMAIN = "lecarburateur.fr"


def calendar_response(content: str, filename: str) -> HttpResponse:
    """Serve an iCalendar text; ``filename`` names the file a browser saves."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class EventQuerySet(PageQuerySet):
    def upcoming(self, now: datetime | None = None) -> QuerySet[EventPage]:
        """Events not yet over (those under way included), soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime | None = None) -> QuerySet[EventPage]:
        """Events already over, latest first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def for_cards(self) -> QuerySet[EventPage]:
        """What an event card shows, in a constant number of queries."""
        return self.select_related("program")


EventManager = PageManager.from_queryset(EventQuerySet)
# ``for_cards`` loads all an event card shows: nothing more to load for the missing ones.
register_card("event", "programs/includes/event_card.html", "event")


def _seconds_until(moment: datetime | None) -> float | None:
    return None if moment is None else (moment - timezone.now()).total_seconds()


def next_event_end() -> datetime | None:
    """When the next live event ends: every listing of upcoming or past events changes then.

    Kept in the cache until an event changes or that moment passes.
    """
    return memo(
        "programs:next-event-end",
        [type_tag(EventPage)],
        lambda: (
            EventPage.objects.live()
            .filter(end__gte=timezone.now())
            .aggregate(next_end=Min("end"))["next_end"]
        ),
        timeout=_seconds_until,
    )


def depends_on_upcoming_events() -> None:
    """The response lists events by the clock: it changes with any event, or when one ends."""
    if not collecting():
        return
    record(type_tag(EventPage))
    valid_until(next_event_end())


class EventIndexPage(RoutablePageMixin, ListingPage):
    """« Agenda »: upcoming events, past events on their own page, and an iCalendar feed."""

    per_page = 20
    #: How far back the feed keeps past events, so subscribers' calendars keep them a while.
    feed_history = timedelta(days=90)
    subpage_types = ["programs.EventPage"]

    generated_description_hint = _("une phrase présentant l'agenda")

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def generated_description(self) -> str:
        return gettext(
            "Agenda des événements du Carburateur : réunions d'information, formations et "
            "rendez-vous d'experts pour les entrepreneurs et les artisans, à Marseille."
        )

    def events(self) -> EventQuerySet:
        return EventPage.objects.child_of(self).live().for_cards()

    @path("", name="upcoming")
    def upcoming_events(self, request: HttpRequest) -> TemplateResponse:
        return self.render_listing(request, showing_past=False)

    @path("passes/", name="past")
    def past_events(self, request: HttpRequest) -> TemplateResponse:
        return self.render_listing(request, showing_past=True)

    def render_listing(self, request: HttpRequest, *, showing_past: bool) -> TemplateResponse:
        """The upcoming or the past events, a page of them at a time.

        The page of events is kept whole under the page number asked for: it is loaded only
        when the template reads it, so that a stored page of events costs no query (neither
        the COUNT nor the rows); what it read, the clock of events included, is then replayed.
        """

        def page_of_events() -> PaginatorPage:
            # Recorded where the events are read, inside the kept fragment when there is one:
            # any event changed, published or withdrawn, and the end of the next one, make
            # the page of events stale (and the whole page with it).
            depends_on_upcoming_events()
            events = self.events().past() if showing_past else self.events().upcoming()
            return paginate(request, events, self.per_page)

        return self.render(
            request,
            context_overrides={
                "events": SimpleLazyObject(page_of_events),
                "showing_past": showing_past,
                "events_variant": listing_variant(request, ()),
            },
        )

    def calendar_attachment(self) -> dict[str, str]:
        """The event as an .ics file for an email (``mailing.models.OutboxEmail.attachments``)."""
        return {
            "filename": f"{self.slug}.ics",
            "content": render_calendar([self.as_calendar_event()], str(CALENDAR_NAME)),
            "mimetype": "text/calendar",
        }

    @path("ical/", name="ical")
    def ical_feed(self, request: HttpRequest) -> HttpResponse:
        since = timezone.now() - self.feed_history
        events = self.events().filter(end__gte=since).order_by("start", "pk")
        content = render_calendar(
            (event.as_calendar_event(request) for event in events), str(CALENDAR_NAME)
        )
        return calendar_response(content, "agenda-le-carburateur.ics")


class HubDetails(Protocol):
    """The hub's own address and contact (the site settings, ``home.SiteSettings``), which an
    event held at the hub or organised by its team falls back on."""

    address: str
    postal_code: str
    city: str
    contact_email: str
    phone: str


@dataclass(frozen=True)
class Location:
    """Where an event takes place: the venue's name and its postal address, line by line."""

    venue: str
    lines: tuple[str, ...]

    @property
    def map_url(self) -> str:
        """A search for the address on OpenStreetMap (empty without an address)."""
        if not self.lines:
            return ""
        return f"{MAP_SEARCH_URL}?{urlencode({'query': ', '.join(self.lines)})}"


@dataclass(frozen=True)
class Organiser:
    """Whom to ask about an event or to take part in it."""

    name: str
    email: str
    phone: str

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone)


def _address_lines(street: str, postal_code: str, city: str) -> tuple[str, ...]:
    return tuple(line for line in (street.strip(), f"{postal_code} {city}".strip()) if line)


class OneOfRequiredPanel(MultiFieldPanel):
    """A group of fields of which at least one must be filled (the model's ``clean`` says so):
    none is required alone, so the group's heading carries the required mark."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        def is_required(self) -> bool:
            return True


class EventPage(RoutablePageMixin, JointContentMixin, BasePage):
    """A dated session of a program: when, where, how many seats and how to register."""

    program = models.ForeignKey(
        "programs.ProgramPage",
        verbose_name=_("programme"),
        help_text=_("Le programme dont cet événement est une séance, le cas échéant."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    start = models.DateTimeField(_("début"), help_text=_("Date et heure de Marseille."))
    end = models.DateTimeField(_("fin"), help_text=_("Doit être postérieure au début."))
    place = models.CharField(
        _("lieu"),
        max_length=200,
        default="Le Carburateur, Marseille 15e",
        help_text=_("Nom du lieu, par exemple « Salle de formation, Le Carburateur »."),
    )
    street_address = models.CharField(
        _("adresse"),
        max_length=200,
        blank=True,
        help_text=_("Numéro et rue. Laissez l'adresse vide pour un événement au Carburateur."),
    )
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Par exemple « Accès PMR de plain-pied, ascenseur, boucle magnétique »."),
    )
    organiser_name = models.CharField(
        _("organisateur"),
        max_length=120,
        blank=True,
        help_text=_("Vide : les coordonnées du Carburateur (paramètres du site) s'affichent."),
    )
    organiser_email = models.EmailField(_("courriel de l'organisateur"), blank=True)
    organiser_phone = models.CharField(_("téléphone de l'organisateur"), max_length=30, blank=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Laissez vide si les places ne sont pas limitées."),
    )
    registration_url = models.URLField(
        _("adresse d'inscription"),
        blank=True,
        help_text=_("Formulaire ou billetterie en ligne, s'il y en a un."),
    )
    registration_text = models.TextField(
        _("comment s'inscrire"),
        blank=True,
        help_text=_("Par exemple « Inscription par téléphone au 04 91 00 00 00 »."),
    )
    # Registration on the site (the registrations app keeps the people; these settings are part
    # of the page so that they go through the editorial workflow like the rest of it).
    registration_open = models.BooleanField(
        _("inscriptions sur le site ouvertes"),
        default=False,
        help_text=_(
            "Le public s'inscrit depuis la page de l'événement. Les places sont celles du "
            "champ « nombre de places » (vide : sans limite)."
        ),
    )
    registration_deadline = models.DateTimeField(
        _("date limite d'inscription"),
        null=True,
        blank=True,
        help_text=_("Date et heure de Marseille. Vide : jusqu'au début de l'événement."),
    )
    waiting_list = models.BooleanField(
        _("liste d'attente quand c'est complet"),
        default=True,
        help_text=_(
            "Une place libérée par une annulation revient à la première personne en attente, "
            "qui est prévenue par courriel."
        ),
    )
    reminder_morning = models.BooleanField(
        _("rappel le matin même"),
        default=False,
        help_text=_("En plus du rappel de la veille, envoyé à chaque personne inscrite."),
    )
    registration_questions = StreamField(
        RegistrationQuestionsBlock(),
        verbose_name=_("questions aux participants"),
        blank=True,
        help_text=_("Quelques questions courtes, posées dans le formulaire d'inscription."),
    )
    summary = models.TextField(
        _("résumé"),
        max_length=300,
        blank=True,
        help_text=_("Deux ou trois phrases, reprises dans l'agenda et le fichier .ics."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    objects = EventManager()

    content_panels = [
        *Page.content_panels,
        PageChooserPanel("program", page_type="programs.ProgramPage"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("place"),
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldPanel("accessibility"),
                FieldPanel("capacity"),
            ],
            heading=_("Date et lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organiser_name"),
                FieldRowPanel([FieldPanel("organiser_email"), FieldPanel("organiser_phone")]),
            ],
            heading=_("Contact de l'organisateur"),
        ),
        OneOfRequiredPanel(
            [
                FieldPanel("registration_open"),
                FieldRowPanel([FieldPanel("registration_deadline"), FieldPanel("waiting_list")]),
                FieldPanel("reminder_morning"),
                FieldPanel("registration_questions"),
                FieldPanel("registration_url"),
                FieldPanel("registration_text"),
            ],
            heading=_("Inscription"),
            help_text=_(
                "Obligatoire : l'inscription sur le site, une adresse, un texte, ou plusieurs."
            ),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("city"),
        index.SearchField("body"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    parent_page_types = ["programs.EventIndexPage"]
    subpage_types: list[str] = []

    serve_select_related = (*BasePage.serve_select_related, "program")

    description_sources = ("summary", "body")
    generated_description_hint = _("une phrase donnant la date et le lieu de l'événement")

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [models.Index(fields=["start"]), models.Index(fields=["end"])]

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(
                {"end": _("La fin de l'événement doit être postérieure à son début.")}
            )
        if (
            not self.registration_open
            and not self.registration_url
            and not self.registration_text.strip()
        ):
            raise ValidationError(
                {
                    "registration_text": _(
                        "Indiquez comment s'inscrire : sur le site, par une adresse, "
                        "par un texte, ou plusieurs."
                    )
                }
            )
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            raise ValidationError(
                {
                    "registration_deadline": _(
                        "La date limite d'inscription doit précéder le début de l'événement."
                    )
                }
            )

    def generated_description(self) -> str:
        return gettext("%(title)s, %(when)s, %(place)s.") % {
            "title": self.title,
            "when": datetime_range_fr(self.start, self.end),
            "place": self.place,
        }

    def structured_data(self, request: HttpRequest) -> Data:
        """A schema.org Event: when, where (the hub's address), who organises it, and its
        price when its program has one."""
        hub = organization(request)
        url = page_url(self, request)
        data: Data = {
            "@type": "Event",
            "name": self.title,
            "startDate": iso_datetime(self.start),
            "endDate": iso_datetime(self.end),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            # The place field names a room or a building; without an address of its own the
            # event is at the hub's.
            "location": place(
                self.place,
                postal_address(self.street_address, self.postal_code, self.city)
                or hub.get("address"),
            ),
            "organizer": reference(hub),
            "description": self.meta_description,
            "image": [image_url(self.social_image)] if self.social_image else None,
            "url": url,
        }
        program = self.program  # loaded with the page (serve_select_related)
        if program is not None:
            data["isAccessibleForFree"] = program.is_free
            if not program.is_free:
                data["offers"] = euro_offer(program.price, self.registration_url or url)
        return with_context(data)

    def location(self, hub: HubDetails | None = None) -> Location:
        """The venue and its address; without an address of its own, the event is at the hub."""
        lines = _address_lines(self.street_address, self.postal_code, self.city)
        if not lines and hub is not None:
            lines = _address_lines(hub.address, hub.postal_code, hub.city)
        return Location(venue=self.place, lines=lines)

    def organiser(self, hub: HubDetails | None = None) -> Organiser | None:
        """The organiser's contact; without one, the hub's (None if there is neither)."""
        if self.organiser_name or self.organiser_email or self.organiser_phone:
            return Organiser(self.organiser_name, self.organiser_email, self.organiser_phone)
        if hub is not None and (hub.contact_email or hub.phone):
            return Organiser(str(_("L'équipe du Carburateur")), hub.contact_email, hub.phone)
        return None

    @property
    def is_past(self) -> bool:
        past = self.end < timezone.now()
        if not past:
            valid_until(self.end)  # a cached page that says "upcoming" expires with the event
        return past

    @property
    def uid(self) -> str:
        """The iCalendar UID: stable for the page's whole life, unlike its title or slug."""
        return f"evenement-{self.translation_key}@{UID_DOMAIN}"

    def as_calendar_event(self, request: HttpRequest | None = None) -> CalendarEvent:
        url = self.get_full_url(request) or ""
        description = "\n\n".join(
            part
            for part in (
                self.summary,
                self.registration_text,
                (
                    _("Inscription : %(url)s") % {"url": self.registration_url}
                    if self.registration_url
                    else ""
                ),
            )
            if part
        )
        return CalendarEvent(
            uid=self.uid,
            start=self.start,
            end=self.end,
            summary=self.title,
            description=description,
            location=", ".join((self.place, *self.location().lines)),
            url=url,
            stamp=self.last_published_at or self.latest_revision_created_at or timezone.now(),
        )

    def calendar_attachment(self) -> dict[str, str]:
        """The event as an .ics file for an email (``mailing.models.OutboxEmail.attachments``)."""
        return {
            "filename": f"{self.slug}.ics",
            "content": render_calendar([self.as_calendar_event()], str(CALENDAR_NAME)),
            "mimetype": "text/calendar",
        }

    @path("ical/", name="ical")
    def ical_download(self, request: HttpRequest) -> HttpResponse:
        content = render_calendar([self.as_calendar_event(request)], str(CALENDAR_NAME))
        return calendar_response(content, f"{self.slug}.ics")
