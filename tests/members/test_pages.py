"""The directory and resident pages: where they may be created and what they show."""

from __future__ import annotations

import datetime

import pytest

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from members.models import MemberIndexPage, MemberPage, SpaceType
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory
from tests.factories.pages import ImageFactory


class TestPageTree(WagtailPageTestCase):
    def test_directory__only_under_the_home_page(self) -> None:
        self.assertAllowedParentPageTypes(MemberIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(MemberIndexPage, {MemberPage})

    def test_resident__only_in_the_directory_and_has_no_children(self) -> None:
        self.assertAllowedParentPageTypes(MemberPage, {MemberIndexPage})
        self.assertAllowedSubpageTypes(MemberPage, set())

    def test_directory__only_one_on_the_site(self) -> None:
        home = HomePage.objects.get()
        self.assertCanCreateAt(HomePage, MemberIndexPage)
        MemberIndexPageFactory(parent=home)
        self.assertFalse(MemberIndexPage.can_create_at(home))

    def test_directory_and_resident__are_routable_and_renderable(self) -> None:
        directory = MemberIndexPageFactory()
        member = MemberPageFactory(
            parent=directory, title="Medinscop", slug="medinscop", company_name="Medinscop"
        )
        for page in (directory, member):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)


@pytest.mark.django_db
def test_resident_page__shows_everything_about_the_company(client, make_member, trades) -> None:
    logo = ImageFactory(title="Logo", description="Logo de La Compagnie des Bocaux")
    member = make_member(
        title="La Compagnie des Bocaux",
        company_name="La Compagnie des Bocaux",
        founders="Saïda et Thomas Palmieri",
        trade=trades["conserverie"],
        is_artisan=True,
        space_type=SpaceType.STORAGE,
        resident_since=datetime.date(2024, 2, 5),
        website="https://bocaux.example",
        where_to_buy="Magasins bio et épiceries fines",
        logo=logo,
        summary="Fruits et légumes bio de Provence, cuisinés et mis en bocaux.",
        story=[("heading", {"text": "Une levée de fonds", "level": "h2"})],
    )
    response = client.get(member.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for expected in [
        "La Compagnie des Bocaux",
        "Saïda et Thomas Palmieri",
        "Conserverie",
        "Artisan",
        "Stockage",
        "5 février 2024",
        'href="https://bocaux.example"',
        "Magasins bio et épiceries fines",
        'alt="Logo de La Compagnie des Bocaux"',
        "Une levée de fonds",
    ]:
        assert expected in html, expected


@pytest.mark.django_db
def test_resident_page__leaves_out_what_is_not_filled_in(client, make_member) -> None:
    member = make_member(is_artisan=False, space_type="", resident_since=None)
    html = client.get(member.url).content.decode()
    assert "Artisan" not in html
    assert "Résident depuis" not in html
    assert "Où trouver ses produits" not in html


@pytest.mark.django_db
def test_directory__renders_with_a_single_h1_and_labelled_filters(client, directory) -> None:
    response = client.get(directory.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for field in ["trade", "space", "artisan"]:
        assert f'<label for="id_{field}">' in html
    assert "Aucun résident ne correspond à ces critères." in html
