"""The admin side of the directory: trades as a snippet, resident pages editable in French."""

from __future__ import annotations

import pytest

from django.urls import reverse

from members.models import MemberIndexPage, Trade

from .conftest import MakeMember


@pytest.mark.django_db
def test_trades__are_listed_in_the_admin_menu_in_french(admin_client_logged) -> None:
    response = admin_client_logged.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    # The sidebar menu is serialised as JSON, with non-ASCII letters escaped.
    assert '"label": "M\\u00e9tiers"' in response.content.decode()
    assert '"url": "/admin/snippets/members/trade/"' in response.content.decode()


@pytest.mark.django_db
def test_trades__an_editor_adds_one_from_the_snippet_form(admin_client_logged) -> None:
    add_url = reverse("wagtailsnippets_members_trade:add")
    response = admin_client_logged.get(add_url)
    assert response.status_code == 200
    assert "identifiant" in response.content.decode().lower()
    response = admin_client_logged.post(add_url, {"name": "Ébénisterie", "slug": "ebenisterie"})
    assert response.status_code == 302
    assert Trade.objects.filter(slug="ebenisterie", name="Ébénisterie").exists()


@pytest.mark.django_db
def test_trades__a_duplicate_slug_is_refused_with_a_form_error(admin_client_logged) -> None:
    Trade.objects.create(name="Bâtiment", slug="batiment")
    response = admin_client_logged.post(
        reverse("wagtailsnippets_members_trade:add"), {"name": "BTP", "slug": "batiment"}
    )
    assert response.status_code == 200
    assert Trade.objects.filter(slug="batiment").count() == 1
    assert "existe déjà" in response.content.decode()


@pytest.mark.django_db
def test_resident_page__edit_view_renders(
    admin_client_logged, make_member: MakeMember, directory: MemberIndexPage
) -> None:
    member = make_member()
    for page in (member, directory):
        response = admin_client_logged.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200
        assert 'id="page-edit-form"' in response.content.decode()


@pytest.mark.django_db
def test_trades__anonymous_visitors_are_sent_to_the_login_page(client) -> None:
    response = client.get(reverse("wagtailsnippets_members_trade:list"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
