"""Newsletter issues as Wagtail pages, and their index: the public archive of sent issues."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.models import BasePage
from editorial.mixins import JointContentMixin
from subscriptions.models import Topic

from ..blocks import NewsletterStreamBlock
from ..panels import SendStatusPanel

ISSUES_PER_PAGE = 12


class NewsletterIndexPage(RoutablePageMixin, JointContentMixin, BasePage):
    """The web archive of the issues that have been sent, with an RSS feed."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletters.NewsletterPage"]
    max_count = 1

    generated_description_hint = _("une phrase présentant l'archive")

    class Meta:
        verbose_name = _("archive des lettres d'information")

    def generated_description(self) -> str:
        return gettext(
            "Les lettres d'information du Carburateur, à lire en ligne telles qu'elles ont été "
            "envoyées à leurs abonnés."
        )

    def sent_issues(self) -> QuerySet[NewsletterPage]:
        """Live issues under this index that have gone out to subscribers, newest first."""
        from .sending import Send

        started = Send.objects.filter(page=OuterRef("pk"), started_at__isnull=False)
        return (
            NewsletterPage.objects.live()
            .public()
            .child_of(self)
            .filter(Exists(started))
            .annotate(sent_on=Max("sends__started_at"))
            .order_by("-sent_on", "-pk")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.sent_issues().select_related("topic"), ISSUES_PER_PAGE)
        context["issues"] = paginator.get_page(request.GET.get("page"))
        context["no_filters"] = QueryDict()
        return context

    @path("rss/", name="rss")
    def rss(self, request: HttpRequest) -> HttpResponse:
        from ..feeds import SentIssuesFeed

        return SentIssuesFeed(self)(request)


class NewsletterPage(JointContentMixin, BasePage):
    """One issue: written and approved like any page, then sent by email to a topic's
    confirmed subscribers (see ``newsletters.sending``)."""

    subject = models.CharField(
        _("objet du courriel"),
        max_length=150,
        help_text=_("Ce que les abonné·es lisent dans leur boîte de réception."),
    )
    preheader = models.CharField(
        _("texte d'aperçu"),
        max_length=200,
        blank=True,
        help_text=_("Une phrase que les messageries affichent après l'objet."),
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("thème"),
        help_text=_("La lettre est envoyée aux abonné·es confirmé·es de ce thème."),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    body = StreamField(NewsletterStreamBlock(), verbose_name=_("contenu"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("subject"), FieldPanel("preheader"), FieldPanel("topic")],
            heading=_("Courriel"),
        ),
        FieldPanel("body"),
        SendStatusPanel(heading=_("Envoi")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subject"),
        index.SearchField("body"),
    ]
    parent_page_types = ["newsletters.NewsletterIndexPage"]
    subpage_types: list[str] = []

    description_sources = ("preheader", "body")
    generated_description_hint = _("une phrase reprenant l'objet du courriel")

    preview_modes = [
        ("", _("Page web")),
        ("email_html", _("Courriel (HTML)")),
        ("email_text", _("Courriel (texte)")),
    ]

    class Meta:
        verbose_name = _("lettre d'information")
        verbose_name_plural = _("lettres d'information")

    def generated_description(self) -> str:
        return gettext("Lettre d'information du Carburateur : %(subject)s.") % {
            "subject": self.subject or self.title
        }

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """The editor's preview panel also shows the email, as HTML and as plain text."""
        if mode_name in {"email_html", "email_text"}:
            from ..rendering import preview_response

            return preview_response(self, html=mode_name == "email_html")
        return super().serve_preview(request, mode_name)
