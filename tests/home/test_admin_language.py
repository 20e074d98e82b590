"""The Wagtail admin speaks French to every user, and the public site too."""

from __future__ import annotations

import pytest

from django.test import Client


@pytest.mark.django_db
def test_admin_login__is_in_french(client: Client) -> None:
    html = client.get("/admin/login/").content.decode()
    assert 'lang="fr"' in html
    assert "Connexion" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_admin_dashboard__is_in_french_for_a_new_user(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html
    assert "Dashboard" not in html
