"""Every admin door that changes a page stays shut to the chamber, even if its group were given
every page permission by mistake.

Each request is made twice: by a chamber approver holding every page permission, who is
refused, and by a communications editor holding the same permissions, who is let through. The
two differ only by the chamber's role, so a refusal can come from nothing else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupPagePermission, Page, PageViewRestriction

from home.models import HomePage, StandardPage

from .conftest import assert_sent_back_to_the_dashboard, form_data

pytestmark = pytest.mark.django_db

PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)


@pytest.fixture
def every_page_permission(db: None) -> Group:
    """A group holding every page permission on the whole tree."""
    group = Group.objects.create(name="Tous les droits sur les pages")
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(
            group=group,
            page=Page.objects.get(depth=1),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    return group


@pytest.fixture
def chamber(approver: Any, every_page_permission: Group, login: Any) -> Client:
    approver.groups.add(every_page_permission)
    return login(approver)


@pytest.fixture
def team(reviewer: Any, every_page_permission: Group, login: Any) -> Client:
    reviewer.groups.add(every_page_permission)
    return login(reviewer)


@pytest.fixture
def live_page(make_page: Any) -> StandardPage:
    """A live ordinary page: the publication guard, which is about joint content, stays out."""
    return make_page("Page ordinaire", joint=False, live=True)


@pytest.fixture
def destination(make_page: Any) -> StandardPage:
    return make_page("Rubrique", joint=False, live=True)


def _url(name: str, *args: Any) -> str:
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def _reloaded(page: Page) -> Page | None:
    return Page.objects.filter(pk=page.pk).first()


# --- Doors that show a form or a confirmation: the chamber is sent back, the team sees it.


@pytest.mark.parametrize(
    "door",
    [
        "edit",
        "add_subpage",
        "add",
        "preview_on_add",
        "copy",
        "move",
        "move_confirm",
        "delete",
        "unpublish",
        "set_privacy",
        "revisions_revert",
        "revisions_unschedule",
        "convert_alias",
    ],
)
def test_chamber__is_sent_back_from_each_page_form_the_team_opens(
    door: str, live_page: StandardPage, destination: StandardPage, chamber: Client, team: Client
) -> None:
    alias = live_page.create_alias(update_slug="page-ordinaire-alias")
    urls = {
        "convert_alias": _url("convert_alias", alias.pk),
        "edit": _url("edit", live_page.pk),
        "add_subpage": _url("add_subpage", live_page.pk),
        "add": _url("add", "home", "standardpage", live_page.pk),
        "preview_on_add": _url("preview_on_add", "home", "standardpage", live_page.pk),
        "copy": _url("copy", live_page.pk),
        "move": _url("move", live_page.pk),
        "move_confirm": _url("move_confirm", live_page.pk, destination.pk),
        "delete": _url("delete", live_page.pk),
        "unpublish": _url("unpublish", live_page.pk),
        "set_privacy": _url("set_privacy", live_page.pk),
        "revisions_revert": _url("revisions_revert", live_page.pk, live_page.latest_revision_id),
        "revisions_unschedule": _url(
            "revisions_unschedule", live_page.pk, live_page.latest_revision_id
        ),
    }
    assert_sent_back_to_the_dashboard(chamber.get(urls[door]))
    opened = team.get(urls[door])
    if door == "add_subpage":
        # One page type may be created there: Wagtail goes straight to its form.
        assert opened.url == urls["add"]
    else:
        assert opened.status_code == 200


# --- Doors that change the page: refused to the chamber, done for the team.


def test_chamber__cannot_save_a_draft_the_team_saves(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("edit", live_page.pk)
    revisions = live_page.revisions.count()
    assert_sent_back_to_the_dashboard(chamber.post(url, form_data(live_page, title="Par la CMA")))
    assert live_page.revisions.count() == revisions
    assert team.post(url, form_data(live_page, title="Par l'équipe")).status_code == 302
    assert live_page.revisions.count() == revisions + 1


def test_chamber__cannot_preview_the_editor_the_team_previews(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("preview_on_edit", live_page.pk)
    assert_sent_back_to_the_dashboard(chamber.post(url, form_data(live_page)))
    assert team.post(url, form_data(live_page)).json()["is_valid"] is True


def test_chamber__cannot_create_a_page_the_team_creates(
    home_page: HomePage, chamber: Client, team: Client
) -> None:
    url = _url("add", "home", "standardpage", home_page.pk)

    def data(title: str) -> dict[str, Any]:
        page = StandardPage(title=title, slug="", introduction="Nouvelle page.")
        return form_data(page, slug=title.lower().replace(" ", "-"))

    assert_sent_back_to_the_dashboard(chamber.post(url, data("Creee par la CMA")))
    assert not StandardPage.objects.filter(slug="creee-par-la-cma").exists()
    assert team.post(url, data("Creee par l equipe")).status_code == 302
    assert StandardPage.objects.filter(slug="creee-par-l-equipe").exists()


def test_chamber__cannot_copy_a_page_the_team_copies(
    live_page: StandardPage, home_page: HomePage, chamber: Client, team: Client
) -> None:
    url = _url("copy", live_page.pk)

    def data(slug: str) -> dict[str, Any]:
        return {"new_title": "Copie", "new_slug": slug, "new_parent_page": home_page.pk}

    assert_sent_back_to_the_dashboard(chamber.post(url, data("copie-cma")))
    assert not Page.objects.filter(slug="copie-cma").exists()
    assert team.post(url, data("copie-equipe")).status_code == 302
    assert Page.objects.filter(slug="copie-equipe").exists()


def test_chamber__cannot_move_a_page_the_team_moves(
    live_page: StandardPage, destination: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("move_confirm", live_page.pk, destination.pk)
    assert_sent_back_to_the_dashboard(chamber.post(url))
    assert not _reloaded(live_page).is_child_of(destination)
    assert team.post(url).status_code == 302
    assert _reloaded(live_page).is_child_of(destination)


def test_chamber__cannot_reorder_pages_the_team_reorders(
    live_page: StandardPage, destination: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("set_page_position", destination.pk) + "?position=0"

    def first() -> Page:
        return _reloaded(live_page).get_parent().get_children().first()

    assert first().pk != destination.pk
    assert_sent_back_to_the_dashboard(chamber.post(url))
    assert first().pk != destination.pk
    assert team.post(url).status_code == 200
    assert first().pk == destination.pk


def test_chamber__cannot_delete_a_page_the_team_deletes(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("delete", live_page.pk)
    assert_sent_back_to_the_dashboard(chamber.post(url))
    assert _reloaded(live_page) is not None
    assert team.post(url).status_code == 302
    assert _reloaded(live_page) is None


def test_chamber__cannot_unpublish_a_page_the_team_unpublishes(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("unpublish", live_page.pk)
    assert_sent_back_to_the_dashboard(chamber.post(url))
    assert _reloaded(live_page).live
    assert team.post(url).status_code == 302
    assert not _reloaded(live_page).live


def test_chamber__cannot_make_a_page_private_as_the_team_can(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    url = _url("set_privacy", live_page.pk)
    restricted = PageViewRestriction.objects.filter(page=live_page).exists
    assert_sent_back_to_the_dashboard(chamber.post(url, {"restriction_type": "login"}))
    assert not restricted()
    assert team.post(url, {"restriction_type": "login"}).status_code == 200
    assert restricted()


def test_chamber__cannot_lock_or_unlock_a_page_as_the_team_can(
    live_page: StandardPage, admin: Any, chamber: Client, team: Client
) -> None:
    def locked() -> bool:
        return _reloaded(live_page).locked

    assert_sent_back_to_the_dashboard(chamber.post(_url("lock", live_page.pk)))
    assert not locked()
    assert team.post(_url("lock", live_page.pk)).status_code == 302
    assert locked()

    Page.objects.filter(pk=live_page.pk).update(locked_by=admin, locked_at=timezone.now())
    assert_sent_back_to_the_dashboard(chamber.post(_url("unlock", live_page.pk)))
    assert locked()
    assert team.post(_url("unlock", live_page.pk)).status_code == 302
    assert not locked()


def test_chamber__cannot_unschedule_a_publication_the_team_unschedules(
    live_page: StandardPage, author: Any, chamber: Client, team: Client
) -> None:
    revision = live_page.save_revision(
        user=author, approved_go_live_at=timezone.now() + timedelta(days=2)
    )

    def scheduled() -> Any:
        return type(revision).objects.get(pk=revision.pk).approved_go_live_at

    url = _url("revisions_unschedule", live_page.pk, revision.pk)
    assert_sent_back_to_the_dashboard(chamber.post(url))
    assert scheduled() is not None
    assert team.post(url).status_code == 302
    assert scheduled() is None


def test_chamber__cannot_convert_an_alias_the_team_converts(
    live_page: StandardPage, destination: StandardPage, chamber: Client, team: Client
) -> None:
    alias = live_page.create_alias(parent=destination)
    url = _url("convert_alias", alias.pk)
    assert_sent_back_to_the_dashboard(chamber.post(url))
    assert _reloaded(alias).alias_of_id == live_page.pk
    assert team.post(url).status_code == 302
    assert _reloaded(alias).alias_of_id is None


# --- Bulk actions from the page listing: the chamber's selection is left as it was.


def _bulk(client: Client, action: str, page: Page, **data: Any) -> Any:
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    return client.post(f"{url}?id={page.pk}&next=/admin/", data)


def test_chamber__bulk_publish_leaves_the_draft_the_team_publishes(
    make_page: Any, chamber: Client, team: Client
) -> None:
    draft = make_page("Brouillon ordinaire", joint=False)
    _bulk(chamber, "publish", draft)
    assert not _reloaded(draft).live
    _bulk(team, "publish", draft)
    assert _reloaded(draft).live


def test_chamber__bulk_unpublish_leaves_the_page_the_team_unpublishes(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    _bulk(chamber, "unpublish", live_page)
    assert _reloaded(live_page).live
    _bulk(team, "unpublish", live_page)
    assert not _reloaded(live_page).live


def test_chamber__bulk_delete_leaves_the_page_the_team_deletes(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    _bulk(chamber, "delete", live_page)
    assert _reloaded(live_page) is not None
    _bulk(team, "delete", live_page)
    assert _reloaded(live_page) is None


def test_chamber__bulk_move_leaves_the_page_the_team_moves(
    live_page: StandardPage, destination: StandardPage, chamber: Client, team: Client
) -> None:
    _bulk(chamber, "move", live_page, chooser=destination.pk)
    assert not _reloaded(live_page).is_child_of(destination)
    _bulk(team, "move", live_page, chooser=destination.pk)
    assert _reloaded(live_page).is_child_of(destination)


def test_chamber__is_told_it_may_not_act_on_its_bulk_selection(
    live_page: StandardPage, chamber: Client, team: Client
) -> None:
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    url += f"?id={live_page.pk}"
    refused = chamber.get(url).context["items_with_no_access"]
    assert [entry["item"].pk for entry in refused] == [live_page.pk]
    assert team.get(url).context["items_with_no_access"] == []


# --- The page listing offers the chamber no button that changes a page.


def test_chamber__sees_no_editing_button_in_the_page_listing(
    live_page: StandardPage, home_page: HomePage, chamber: Client, team: Client
) -> None:
    listing = reverse("wagtailadmin_explore", args=[home_page.pk])
    buttons = [
        _url("edit", live_page.pk),
        _url("copy", live_page.pk),
        _url("move", live_page.pk),
        _url("delete", live_page.pk),
        _url("unpublish", live_page.pk),
        _url("add_subpage", live_page.pk),
        _url("add_subpage", home_page.pk),
    ]
    seen_by_chamber = chamber.get(listing).content.decode()
    seen_by_team = team.get(listing).content.decode()
    assert "Page ordinaire" in seen_by_chamber
    for url in buttons:
        assert url not in seen_by_chamber, url
        assert url in seen_by_team, url
