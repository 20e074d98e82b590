"""The joint-content marker that page types carry, with its validation and workflow routing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import MultiFieldPanel, PageChooserPanel
from wagtail.models import Page, Workflow

from .forms import EditorialPageForm
from .permission_testers import EditorialPermissionsMixin
from .routing import route_workflow

if TYPE_CHECKING:  # a mixin of Wagtail pages, whose own bases are untyped
    from wagtail.models import Page as _MixinBase
else:
    from django.db.models import Model as _MixinBase


class JointContentMixin(EditorialPermissionsMixin, _MixinBase):
    """A page published jointly with a partner (co-branded), which the partner must validate.

    It also gives the page the editorial permission tester (the chamber edits nothing): every
    page type of the project carries this mixin.

    Put it before the page's base (``class ArticlePage(JointContentMixin, BasePage)``) so that
    its panels, form and ``clean`` win. ``joint_partner`` points at ``wagtailcore.Page``
    restricted to partner pages (``EDITORIAL_PARTNER_PAGE_TYPE``) rather than at the partner
    model, so that no app's migrations depend on the app that defines partners.
    """

    joint_partner = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contenu conjoint avec"),
        help_text=_(
            "Choisissez un partenaire si ce contenu est publié conjointement avec lui "
            "(par exemple la Chambre de métiers et de l'artisanat). Il sera co-signé sur la "
            "page publique et devra être validé par ce partenaire."
        ),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    joint_panels = [
        MultiFieldPanel(
            [PageChooserPanel("joint_partner", page_type=settings.EDITORIAL_PARTNER_PAGE_TYPE)],
            heading=_("Contenu conjoint"),
        )
    ]
    settings_panels = [*joint_panels, *Page.settings_panels]
    base_form_class = EditorialPageForm

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.joint_partner_id is not None:
            partner = Page.objects.filter(pk=self.joint_partner_id).only("content_type").first()
            partner_type = partner.specific_class if partner is not None else None
            if (
                partner_type is None
                or partner_type._meta.label_lower != settings.EDITORIAL_PARTNER_PAGE_TYPE.lower()
            ):
                raise ValidationError(
                    {"joint_partner": _("Le contenu conjoint doit désigner une page partenaire.")}
                )

    @property
    def is_joint(self) -> bool:
        return self.joint_partner_id is not None

    def get_workflow(self) -> Workflow | None:
        """Joint content goes through the chamber wherever it sits in the tree.

        Wagtail picks workflows by tree position; the editorial app routes by the marker
        instead (see ``editorial.routing``).
        """
        return route_workflow(self, super().get_workflow())
