"""Admin views beyond modeladmin's: CSV import with live progress, per-person export, erasure."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from mailing.addresses import address_hash, normalise_address
from ops.queueing import queue_after_commit

from . import services
from .importer import progress_cache_key
from .models import Subscriber, SubscriberImport, Topic
from .tasks import import_subscribers as import_subscribers_task

MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Encodage UTF-8, première ligne avec les noms de colonnes : « email » (obligatoire) "
            "et « themes » (facultatif : identifiants ou noms de thèmes séparés par « | »)."
        ),
    )
    consent_source = forms.CharField(
        label=_("Source du consentement"),
        max_length=200,
        help_text=_(
            "Où et comment ces personnes ont-elles accepté de recevoir nos lettres ? "
            "Par exemple : « Bulletins papier, salon des métiers de mars 2025 »."
        ),
    )
    default_topics = forms.ModelMultipleChoiceField(
        label=_("Thèmes par défaut"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour les lignes dont la colonne « themes » est vide."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choisissez un fichier .csv."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 50 Mo : découpez-le."))
        return upload


@permission_required("subscriptions.add_subscriber", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_subscribers(request: HttpRequest) -> HttpResponse:
    """Upload a file; a Celery task validates and imports it while a page shows progress."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.NEWSLETTERS_IMPORT_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        stored = folder / f"{uuid.uuid4().hex}.csv"
        with stored.open("wb") as destination:
            for chunk in upload.chunks():
                destination.write(chunk)
        record = SubscriberImport.objects.create(
            created_by=cast(User, request.user),  # permission_required: never anonymous
            original_name=upload.name[:255],
            stored_path=str(stored),
            consent_source=form.cleaned_data["consent_source"],
            default_topics=[topic.slug for topic in form.cleaned_data["default_topics"]],
        )
        # A broker that is down is logged: the beat task requeue_stalled_imports queues it.
        queue_after_commit(import_subscribers_task, record.pk)
        return redirect("newsletters_import_status", pk=record.pk)
    return TemplateResponse(
        request,
        "newsletters/admin/import.html",
        {"form": form, "index_url": reverse("newsletters_subscriber_modeladmin_index")},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("subscriptions.add_subscriber", raise_exception=True)
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(SubscriberImport, pk=pk)
    processed = record.processed_rows
    if record.status == SubscriberImport.Status.IMPORTING:
        processed = cache.get(progress_cache_key(record.pk), processed)
    percent = int(100 * processed / record.total_rows) if record.total_rows else 0
    return TemplateResponse(
        request,
        "newsletters/admin/import_status.html",
        {
            "record": record,
            "processed": processed,
            "percent": min(percent, 100),
            "index_url": reverse("newsletters_subscriber_modeladmin_index"),
        },
    )


def _can_view_people(request: HttpRequest) -> None:
    if not (
        request.user.has_perm("subscriptions.view_subscriber")
        or request.user.has_perm("subscriptions.change_subscriber")
    ):
        raise PermissionDenied


#: A keyed address hash (``mailing.addresses.address_hash``) as it appears in the admin's URLs:
#: the person is named by it, never by their address, so the address stays out of every log.
HASH_PATTERN = "[0-9a-f]{64}"


class FindPersonForm(forms.Form):
    address = forms.CharField(
        label=_("Adresse électronique"),
        max_length=320,
        help_text=_(
            "L'adresse de la personne, abonnée ou non (inscrite à un événement par exemple). "
            "Les majuscules ne comptent pas."
        ),
    )

    def clean_address(self) -> str:
        return normalise_address(self.cleaned_data["address"])


def find_person(request: HttpRequest) -> HttpResponse:
    """Find a person by their address, subscribed or not, to export or erase their data.

    The address is compared through its keyed hash, as everywhere else, so a person known only
    to another app (``subscriptions.hooks.PERSON_DATA``) is found too. POST, so that the
    address is never written in a URL (nor in the server's logs).
    """
    _can_view_people(request)
    form = FindPersonForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {
        "form": form,
        "index_url": reverse("newsletters_subscriber_modeladmin_index"),
        "searched": False,
    }
    if request.method == "POST" and form.is_valid():
        email_hash = address_hash(form.cleaned_data["address"])
        subscriber = Subscriber.objects.filter(email_hash=email_hash).first()
        elsewhere = services.held_elsewhere(email_hash)
        context.update(
            searched=True,
            address=form.cleaned_data["address"],
            email_hash=email_hash,
            subscriber=subscriber,
            elsewhere=_summary(elsewhere),
            found=subscriber is not None or bool(elsewhere),
            can_erase=request.user.has_perm("subscriptions.delete_subscriber"),
        )
    return TemplateResponse(request, "newsletters/admin/find_person.html", context)


def _json_download(data: dict, filename: str) -> HttpResponse:
    payload = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about one subscriber, as a JSON download."""
    _can_view_people(request)
    subscriber = get_object_or_404(Subscriber, pk=pk)
    return _json_download(services.export_person(subscriber), f"abonne-{subscriber.pk}.json")


def export_address(request: HttpRequest, email_hash: str) -> HttpResponse:
    """Everything held about the person with this address hash, subscribed or not."""
    _can_view_people(request)
    return _json_download(services.export_address(email_hash), f"personne-{email_hash[:12]}.json")


@permission_required("subscriptions.delete_subscriber", raise_exception=True)
@require_http_methods(["GET", "POST"])
def erase_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then erase: personal data removed, the keyed hash kept in the suppression list."""
    subscriber = get_object_or_404(Subscriber, pk=pk)
    return _erase(request, subscriber.email_hash, subscriber.email)


@permission_required("subscriptions.delete_subscriber", raise_exception=True)
@require_http_methods(["GET", "POST"])
def erase_address(request: HttpRequest, email_hash: str) -> HttpResponse:
    """The same erasure for a person found by address, who may never have subscribed."""
    subscriber = Subscriber.objects.filter(email_hash=email_hash).first()
    elsewhere = services.held_elsewhere(email_hash)
    if subscriber is None and not elsewhere:
        raise Http404
    return _erase(request, email_hash, subscriber.email if subscriber else "")


def _erase(request: HttpRequest, email_hash: str, email: str) -> HttpResponse:
    if request.method == "POST":
        services.erase_address(email_hash, source=f"administration ({request.user.get_username()})")
        messages.success(request, _("Les données de cette personne ont été effacées."))
        return redirect("newsletters_subscriber_modeladmin_index")
    return TemplateResponse(
        request,
        "newsletters/admin/erase.html",
        {
            "email": email,
            "email_hash": email_hash,
            "elsewhere": _summary(services.held_elsewhere(email_hash)),
            "index_url": reverse("newsletters_subscriber_modeladmin_index"),
        },
    )


def _summary(elsewhere: dict) -> list[tuple[str, int]]:
    """« inscriptions aux événements : 2 »: each section another app holds, and its size."""
    return [
        (key.replace("_", " "), len(value) if isinstance(value, list | dict) else 1)
        for key, value in elsewhere.items()
    ]
