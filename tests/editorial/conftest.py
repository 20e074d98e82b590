"""People of each role, a CMA partner page, pages to review, and the admin requests they make."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import GroupPagePermission, Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.models import HomePage, StandardPage
from programs.models import PartnerPage
from tests.factories.editorial import AdminFactory, ChamberApproverFactory, CommunicationUserFactory
from tests.factories.home import StandardPageFactory
from tests.factories.programs import PartnerPageFactory


@pytest.fixture
def author(db: None) -> Any:
    return CommunicationUserFactory(username="auteur")


@pytest.fixture
def reviewer(db: None) -> Any:
    return CommunicationUserFactory(username="relectrice")


@pytest.fixture
def approver(db: None) -> Any:
    return ChamberApproverFactory(username="approbatrice")


@pytest.fixture
def second_approver(db: None) -> Any:
    return ChamberApproverFactory(username="approbateur")


@pytest.fixture
def publisher(db: None, home_page: HomePage) -> Any:
    """A communications editor who was also granted publish permission (not an admin).

    Proves that the guard holds at the model level, not only through missing permissions.
    """
    group = Group.objects.create(name="Publication")
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(depth=1),
        permission=Permission.objects.get(codename="publish_page"),
    )
    return CommunicationUserFactory(username="publieur", groups=[group.name])


@pytest.fixture
def admin(db: None) -> Any:
    return AdminFactory(username="administratrice")


@pytest.fixture
def login() -> Callable[[Any], Client]:
    def _login(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def cma(home_page: HomePage) -> PartnerPage:
    """The chamber's partner page, live."""
    return PartnerPageFactory(revision=True)


@pytest.fixture
def make_page(home_page: HomePage, author: Any, cma: PartnerPage) -> Callable[..., StandardPage]:
    """A standard page under the home page, with a first revision by the author."""

    def _make(
        title: str = "Atelier de création d'entreprise",
        *,
        joint: bool = True,
        live: bool = False,
        parent: Page | None = None,
    ) -> StandardPage:
        return StandardPageFactory(
            parent=parent or home_page,
            title=title,
            slug=slugify(title),
            introduction="Une matinée pour se lancer.",
            joint_partner=cma if joint else None,
            owner=author,
            live=False,
            revision=True if live else "draft",
            revision__user=author,
        )

    return _make


def form_data(page: StandardPage, **changes: Any) -> dict[str, Any]:
    """The edit form's POST data for a standard page, with some fields changed."""
    values = {
        "title": page.title,
        "slug": page.slug,
        "introduction": page.introduction,
        "joint_partner": page.joint_partner_id or "",
        **changes,
    }
    data = nested_form_data(
        {
            **values,
            "body": streamfield([]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "social_image": "",
            "go_live_at": changes.get("go_live_at", ""),
            "expire_at": "",
        }
    )
    return {key: ("" if value is None else value) for key, value in data.items()}


def in_the_future() -> str:
    """A go-live date as the admin's date widget sends it (local time, French format)."""
    return timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%d/%m/%Y %H:%M")


def edit(client: Client, page: Page, action: str | None = None, **changes: Any) -> Any:
    """POST the edit form: save a draft, or press an action button (e.g. "action-submit").

    Fails unless the form was accepted: Wagtail re-renders an invalid form with status 200
    (nothing saved, nothing refused), which would let a test of a refusal pass for nothing.
    A valid form is answered with a redirect, whatever the guards then decided.
    """
    specific = page.specific_class.objects.get(pk=page.pk)
    latest = specific.get_latest_revision_as_object()
    data = form_data(latest, **changes)
    if action:
        data[action] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, form_errors(response)
    return response


def form_errors(response: Any) -> str:
    """What the admin said about an edit form it did not accept, for an assertion message."""
    context = response.context or {}
    form = context.get("form") if hasattr(context, "get") else None
    errors = form.errors.as_data() if form is not None else {}
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    return f"formulaire refusé ({response.status_code}) : {errors} {texts}"


def assert_refused_by_the_chamber_guard(response: Any, page: Page) -> None:
    """The editorial guard refused to publish: back to the edit form with its message."""
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("validation de la Chambre" in text for text in texts), texts


def current_task_state(page: Page) -> TaskState:
    state = WorkflowState.objects.active().for_instance(page).get()
    return state.current_task_state


def workflow_action(
    client: Client, page: Page, action: str, comment: str = "", task_state: TaskState | None = None
) -> Any:
    """POST to Wagtail's workflow action URL, as the review page and the dashboard do."""
    task_state = task_state or current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(f"{url}?next=/admin/", {"comment": comment})


def assert_refused(response: Any) -> None:
    """Wagtail's admin answers a refused action with a 403, or (for a non-AJAX request) a
    redirect carrying its "no permission" message."""
    if response.status_code == 403:
        return
    assert response.status_code == 302, response.status_code
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("autorisations" in text for text in texts), texts


def assert_sent_back_to_the_dashboard(response: Any) -> None:
    """Wagtail's refusal of an admin page: back to the dashboard, saying why in French."""
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_home"), response.url
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("pas les autorisations pour accéder à cette zone" in text for text in texts), texts


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run what the request queued with ``transaction.on_commit`` (eager Celery tasks)."""

    def _run(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return _run
