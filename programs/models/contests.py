"""Outside contests residents compete in, such as La Fabrique Aviva, and when to vote."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from core.french import datetime_fr
from core.models import BasePage
from editorial.mixins import JointContentMixin
from pagecache import collecting, memo, record, type_tag, valid_until

from ..ical import CalendarEvent, render_calendar
from ..reminder_plan import (
    PlannedReminder,
    ReminderPlanBlock,
    compute_schedule,
    default_reminder_plan,
    is_owed,
)
from .base import ListingPage, paginate
from .events import CALENDAR_NAME, UID_DOMAIN, calendar_response

#: How long before the deadline the "Ajouter à mon agenda" event starts.
DEADLINE_EVENT_LENGTH = timedelta(hours=1)


class ContestStatus(models.TextChoices):
    """Where a contest's vote stands, by the clock."""

    UPCOMING = "a-venir", _("À venir")
    OPEN = "ouvert", _("Ouvert")
    CLOSED = "clos", _("Clos")


class ContestQuerySet(PageQuerySet):
    def open(self, now: datetime | None = None) -> QuerySet[ContestPage]:
        """Contests whose vote is open now, the one closing soonest first."""
        now = now or timezone.now()
        return self.filter(vote_opens_at__lte=now, vote_closes_at__gt=now).order_by(
            "vote_closes_at", "pk"
        )

    def upcoming(self, now: datetime | None = None) -> QuerySet[ContestPage]:
        return self.filter(vote_opens_at__gt=now or timezone.now()).order_by("vote_opens_at", "pk")

    def closed(self, now: datetime | None = None) -> QuerySet[ContestPage]:
        return self.filter(vote_closes_at__lte=now or timezone.now()).order_by(
            "-vote_closes_at", "-pk"
        )

    def with_competitors(self) -> QuerySet[ContestPage]:
        """Prefetch the competing residents, in order, in one query for the whole list."""
        entries = ContestEntry.objects.select_related("member").order_by("sort_order", "pk")
        return self.prefetch_related(Prefetch("entries", queryset=entries))


ContestManager = PageManager.from_queryset(ContestQuerySet)


def next_contest_change() -> datetime | None:
    """When a live contest's vote next opens or closes: listings of open contests change then.

    Kept in the cache until a contest changes or that moment passes.
    """

    def compute() -> datetime | None:
        now = timezone.now()
        moments = ContestPage.objects.live().aggregate(
            opens=Min("vote_opens_at", filter=Q(vote_opens_at__gt=now)),
            closes=Min("vote_closes_at", filter=Q(vote_closes_at__gt=now)),
        )
        return min((m for m in moments.values() if m is not None), default=None)

    return memo(
        "programs:next-contest-change",
        [type_tag(ContestPage)],
        compute,
        timeout=lambda moment: (
            None if moment is None else (moment - timezone.now()).total_seconds()
        ),
    )


def depends_on_contest_votes() -> None:
    """The response lists contests by vote status: it changes with any contest, or by the
    clock when a vote opens or closes."""
    if not collecting():
        return
    record(type_tag(ContestPage))
    valid_until(next_contest_change())


class ContestIndexPage(ListingPage):
    """« Concours »: contests open to votes, contests to come, and closed ones."""

    per_page = 12
    subpage_types = ["programs.ContestPage"]

    generated_description_hint = _("une phrase présentant les concours")

    class Meta:
        verbose_name = _("liste des concours")
        verbose_name_plural = _("listes des concours")

    def generated_description(self) -> str:
        return gettext(
            "Les concours où concourent les résidents du Carburateur : votes ouverts, à venir "
            "et résultats."
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        depends_on_contest_votes()
        now = timezone.now()
        contests = ContestPage.objects.child_of(self).live().with_competitors()
        context["open_contests"] = contests.open(now)
        context["upcoming_contests"] = contests.upcoming(now)
        context["closed_contests"] = paginate(request, contests.closed(now), self.per_page)
        return context


class ContestPage(RoutablePageMixin, JointContentMixin, BasePage):
    """An outside contest: who organises it, where and until when to vote, who competes."""

    organiser = models.CharField(
        _("organisateur"), max_length=160, help_text=_("Par exemple « Aviva France ».")
    )
    organiser_url = models.URLField(_("site de l'organisateur"), blank=True)
    description = RichTextField(
        _("description"),
        features=["bold", "italic", "link", "ul", "ol"],
        blank=True,
        help_text=_("Ce que le concours soutient et ce qu'il apporte aux lauréats."),
    )
    vote_url = models.URLField(
        _("adresse du vote"), help_text=_("La page où le public peut voter.")
    )
    vote_opens_at = models.DateTimeField(
        _("ouverture des votes"), help_text=_("Date et heure de Marseille.")
    )
    vote_closes_at = models.DateTimeField(
        _("clôture des votes"), help_text=_("Date et heure de Marseille, après l'ouverture.")
    )
    result = models.TextField(
        _("résultat"),
        blank=True,
        help_text=_("À compléter après la clôture : lauréats, prix obtenus."),
    )

    reminder_text = models.TextField(
        _("texte des rappels"),
        blank=True,
        help_text=_(
            "Quelques phrases en tête des courriels « Me rappeler de voter » ; les résidents, "
            "le lien de vote et la date limite s'ajoutent d'eux-mêmes."
        ),
    )
    reminder_plan = StreamField(
        ReminderPlanBlock(),
        verbose_name=_("plan des rappels"),
        blank=True,
        default=default_reminder_plan,
        help_text=_("Vide : aucun rappel n'est envoyé pour ce concours."),
    )

    objects = ContestManager()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("organiser_url")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("vote_url"),
                FieldRowPanel([FieldPanel("vote_opens_at"), FieldPanel("vote_closes_at")]),
            ],
            heading=_("Vote"),
        ),
        InlinePanel("entries", heading=_("Résidents en compétition"), label=_("Résident")),
        MultiFieldPanel(
            [
                HelpPanel(
                    _(
                        "Les rappels partent aux heures de Marseille, calculées d'après les "
                        "dates publiées du vote. Heures prévues et nombre de destinataires : "
                        "menu Rapports, Rappels de vote."
                    )
                ),
                FieldPanel("reminder_text"),
                FieldPanel("reminder_plan"),
            ],
            heading=_("Rappels de vote"),
        ),
        FieldPanel("result"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("organiser"),
        index.SearchField("description"),
        index.SearchField("result"),
        index.FilterField("vote_opens_at"),
        index.FilterField("vote_closes_at"),
    ]
    parent_page_types = ["programs.ContestIndexPage"]
    subpage_types: list[str] = []

    description_sources = ("description",)
    generated_description_hint = _("une phrase donnant l'organisateur et les dates du vote")

    class Meta:
        verbose_name = _("concours")
        verbose_name_plural = _("concours")

    def generated_description(self) -> str:
        # The dates, not the status: a status would make the page expire with it.
        return gettext(
            "%(title)s, concours organisé par %(organiser)s : votez pour les résidents du "
            "Carburateur du %(opens)s au %(closes)s."
        ) % {
            "title": self.title,
            "organiser": self.organiser,
            "opens": datetime_fr(self.vote_opens_at),
            "closes": datetime_fr(self.vote_closes_at),
        }

    def clean(self) -> None:
        super().clean()
        if self.vote_opens_at and self.vote_closes_at and self.vote_closes_at <= self.vote_opens_at:
            raise ValidationError(
                {"vote_closes_at": _("La clôture des votes doit suivre leur ouverture.")}
            )

    @property
    def status(self) -> ContestStatus:
        now = timezone.now()
        # A cached page showing this status expires when it changes.
        if now < self.vote_opens_at:
            valid_until(self.vote_opens_at)
            return ContestStatus.UPCOMING
        if now < self.vote_closes_at:
            valid_until(self.vote_closes_at)
            return ContestStatus.OPEN
        return ContestStatus.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status == ContestStatus.OPEN

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = self.entries.select_related("member").order_by("sort_order")
        return context

    def reminder_schedule(self) -> list[PlannedReminder]:
        """The reminder plan's send times, soonest first, from this version's vote dates."""
        return compute_schedule(self.reminder_plan, self.vote_opens_at, self.vote_closes_at)

    def reminders_owed(self, followed_since: datetime) -> list[PlannedReminder]:
        """The slots someone following since ``followed_since`` is sent, by ``is_owed``."""
        return [
            slot
            for slot in self.reminder_schedule()
            if is_owed(slot, followed_since, self.vote_closes_at)
        ]

    def upcoming_reminders(self) -> list[PlannedReminder]:
        """The reminders still to be sent, soonest first: what a new follower will receive."""
        return self.reminders_owed(timezone.now())

    def as_calendar_event(self, request: HttpRequest | None = None) -> CalendarEvent:
        """The vote's deadline as a calendar event: the last hour before the vote closes."""
        names = ", ".join(entry.member.title for entry in self.entries.select_related("member"))
        description = "\n\n".join(
            part
            for part in (
                _("Votez pour %(names)s.") % {"names": names} if names else "",
                _("Voter : %(url)s") % {"url": self.vote_url},
            )
            if part
        )
        return CalendarEvent(
            uid=f"vote-{self.translation_key}@{UID_DOMAIN}",
            start=self.vote_closes_at - DEADLINE_EVENT_LENGTH,
            end=self.vote_closes_at,
            summary=str(_("Dernier moment pour voter : %(title)s") % {"title": self.title}),
            description=description,
            url=self.get_full_url(request) or "",
            stamp=self.last_published_at or self.latest_revision_created_at or timezone.now(),
        )

    @path("ical/", name="ical")
    def ical_download(self, request: HttpRequest) -> HttpResponse:
        """« Ajouter à mon agenda » : the vote's deadline as an .ics file."""
        content = render_calendar([self.as_calendar_event(request)], str(CALENDAR_NAME))
        return calendar_response(content, f"vote-{self.slug}.ics")


class ContestEntry(Orderable):
    """A resident competing in a contest; the order is the one shown on the page."""

    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(
        "members.MemberPage",
        verbose_name=_("résident"),
        on_delete=models.CASCADE,
        related_name="contest_entries",
    )
    project = models.CharField(
        _("projet présenté"),
        max_length=200,
        blank=True,
        help_text=_("Le projet que le résident présente au concours, s'il a un nom."),
    )

    panels = [PageChooserPanel("member", page_type="members.MemberPage"), FieldPanel("project")]

    class Meta(Orderable.Meta):
        verbose_name = _("résident en compétition")
        verbose_name_plural = _("résidents en compétition")
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], name="unique_contest_entry")
        ]

    def __str__(self) -> str:
        return str(self.member)
