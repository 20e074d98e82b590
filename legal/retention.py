"""How long the site keeps personal data, as the code enforces it, for the privacy policy.

The privacy page shows these periods through ``RetentionPeriodsBlock`` rather than in its
editable text, so that what it promises follows the settings the code really applies
(``NEWSLETTERS_PURGE_UNCONFIRMED_DAYS``, ``NEWSLETTERS_RATE_LIMITS``,
``REGISTRATIONS_RETENTION_MONTHS``). Periods that no code
enforces are the hub's commitments: they are named as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Not enforced by code: what the hub commits to (see the privacy page's text).
UNSUBSCRIBED_KEPT_YEARS = 3
SERVER_LOGS_KEPT_MONTHS = 6


@dataclass(frozen=True)
class RetentionPeriod:
    """One kind of data, how long it is kept, and whether the code enforces that period."""

    data: str
    period: str
    enforced: bool


def _days(count: int) -> str:
    return ngettext("%(count)d jour", "%(count)d jours", count) % {"count": count}


def _hours(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d heure", "%(count)d heures", hours) % {"count": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def unconfirmed_signup_period() -> str:
    """« 30 jours »: after this, a sign-up never confirmed is deleted (nightly task)."""
    return _days(settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS)


def rate_limit_period() -> str:
    """The longest window of the sign-up's attempt counters (« 1 heure »)."""
    return _hours(max(window for _limit, window in settings.NEWSLETTERS_RATE_LIMITS.values()))


def registration_period() -> str:
    """« 12 mois »: after an event's end, its attendees' details are anonymised (nightly)."""
    months = settings.REGISTRATIONS_RETENTION_MONTHS
    return ngettext("%(count)d mois", "%(count)d mois", months) % {"count": months}


def retention_periods() -> list[RetentionPeriod]:
    """Every kind of personal data the public side of the site keeps, with its period."""
    return [
        RetentionPeriod(
            _("Inscription jamais confirmée (adresse, thèmes, courriel de confirmation)"),
            _("%(period)s après l'inscription, puis suppression automatique")
            % {"period": unconfirmed_signup_period()},
            enforced=True,
        ),
        RetentionPeriod(
            _(
                "Abonnement confirmé ou suivi d'un concours (adresse, thèmes, concours suivis, "
                "registre des envois)"
            ),
            _(
                "Tant que vous restez inscrit·e ; les thèmes et les courriels en attente sont "
                "supprimés dès la désinscription"
            ),
            enforced=True,
        ),
        RetentionPeriod(
            _(
                "Inscription à un événement ou une formation (nom, adresse, téléphone, réponses "
                "aux questions de l'organisateur, consentement)"
            ),
            _(
                "%(period)s après la fin de l'événement, puis anonymisation automatique : seuls "
                "restent les nombres d'inscrits et de présents"
            )
            % {"period": registration_period()},
            enforced=True,
        ),
        RetentionPeriod(
            _("Adresse d'une personne désinscrite"),
            ngettext(
                "Jusqu'à votre demande d'effacement, et au plus %(count)d an après la "
                "désinscription",
                "Jusqu'à votre demande d'effacement, et au plus %(count)d ans après la "
                "désinscription",
                UNSUBSCRIBED_KEPT_YEARS,
            )
            % {"count": UNSUBSCRIBED_KEPT_YEARS},
            enforced=False,
        ),
        RetentionPeriod(
            _("Effacement demandé"),
            _(
                "Immédiat : adresse, thèmes, suivis de concours, inscriptions aux événements et "
                "courriels sont supprimés"
            ),
            enforced=True,
        ),
        RetentionPeriod(
            _(
                "Registre des consentements et liste de blocage (empreinte chiffrée de "
                "l'adresse, dates, version du texte accepté, réseau IP tronqué)"
            ),
            _(
                "Conservés après la désinscription ou l'effacement, sans l'adresse en clair : "
                "ils prouvent votre consentement et garantissent qu'aucun courriel ne vous "
                "sera plus envoyé"
            ),
            enforced=True,
        ),
        RetentionPeriod(
            _("Compteurs anti-abus du formulaire d'inscription (adresse IP et adresse, hachées)"),
            rate_limit_period(),
            enforced=True,
        ),
        RetentionPeriod(
            _("Journaux du serveur (page demandée, date, code de réponse, adresses masquées)"),
            ngettext("%(count)d mois", "%(count)d mois", SERVER_LOGS_KEPT_MONTHS)
            % {"count": SERVER_LOGS_KEPT_MONTHS},
            enforced=False,
        ),
    ]
