"""The legal pages: public, with a table of contents, one of each kind per site, reviewed."""

from __future__ import annotations

import re

import pytest

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from legal.models import Conformity, LegalKind, LegalPage

# Routing from the kept routes, the site and its settings, the sign-up form's consent wording
# and topics; the header, footer and legal links come from the cache once warm.
LEGAL_PAGE_MAX_QUERIES = 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/mentions-legales/", "/politique-de-confidentialite/", "/declaration-d-accessibilite/"],
)
def test_legal_page__anonymous_get_is_200_with_one_h1(
    client: Client, home_page: HomePage, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "Dernière mise à jour" in html


@pytest.mark.django_db
def test_legal_page__table_of_contents_links_each_section(
    client: Client, legal_pages: dict[str, LegalPage]
) -> None:
    html = client.get("/politique-de-confidentialite/").content.decode()
    toc = re.search(r'<nav class="legal-page__toc".*?</nav>', html, re.S)
    assert toc
    anchors = re.findall(r'href="#([^"]+)"', toc.group(0))
    assert "vos-droits-et-comment-les-exercer" in anchors
    for anchor in anchors:
        assert f'<h2 id="{anchor}">' in html


@pytest.mark.django_db  # a new page looks up its content type
def test_anchored_body__numbers_repeated_headings() -> None:
    page = LegalPage(
        title="Test",
        kind=LegalKind.NOTICE,
        body=[
            {"type": "heading", "value": {"text": "Contact", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Texte</p>"},
            {"type": "heading", "value": {"text": "Contact", "level": "h2"}},
        ],
    )
    assert [anchor for _block, anchor in page.anchored_body] == ["contact", "", "contact-2"]


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_legal_page__query_count_is_pinned(
    client: Client, home_page: HomePage, django_assert_max_num_queries
) -> None:
    client.get("/politique-de-confidentialite/")  # warm the menus and the legal links
    with django_assert_max_num_queries(LEGAL_PAGE_MAX_QUERIES):
        assert client.get("/politique-de-confidentialite/").status_code == 200


@pytest.mark.django_db
def test_legal_page__goes_through_the_review_workflow(legal_pages: dict[str, LegalPage]) -> None:
    workflow = legal_pages[LegalKind.NOTICE].get_workflow()
    assert workflow is not None and workflow.name == "Relecture"


@pytest.mark.django_db
def test_clean__accessibility_statement_needs_its_state(legal_pages: dict[str, LegalPage]) -> None:
    statement = legal_pages[LegalKind.ACCESSIBILITY]
    statement.conformity = ""
    with pytest.raises(ValidationError, match="état"):
        statement.full_clean()
    notice = legal_pages[LegalKind.NOTICE]
    notice.conformity = Conformity.PARTIAL
    with pytest.raises(ValidationError, match="Seule la déclaration"):
        notice.full_clean()


def _add_form(kind: str) -> dict[str, str]:
    return nested_form_data(
        {
            "title": "Autres mentions",
            "slug": "autres-mentions",
            "kind": kind,
            "last_reviewed": "03/12/2026",
            "conformity": "",
            "introduction": "",
            "body": streamfield([("paragraph", rich_text("<p>Texte</p>"))]),
        }
    )


@pytest.mark.django_db
def test_admin__refuses_a_second_page_of_the_same_kind_on_a_site(
    admin_client_logged: Client, legal_pages: dict[str, LegalPage], home_page: HomePage
) -> None:
    url = reverse("wagtailadmin_pages:add", args=["legal", "legalpage", home_page.pk])
    response = admin_client_logged.post(url, _add_form(LegalKind.NOTICE))
    assert response.status_code == 200
    assert "Ce site a déjà une page légale de ce type." in response.content.decode()
    assert LegalPage.objects.filter(kind=LegalKind.NOTICE).count() == 1


@pytest.mark.django_db
def test_admin__creates_a_page_of_a_missing_kind(
    admin_client_logged: Client, legal_pages: dict[str, LegalPage], home_page: HomePage
) -> None:
    legal_pages[LegalKind.NOTICE].delete()
    url = reverse("wagtailadmin_pages:add", args=["legal", "legalpage", home_page.pk])
    response = admin_client_logged.post(url, _add_form(LegalKind.NOTICE))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LegalPage.objects.filter(kind=LegalKind.NOTICE).count() == 1


@pytest.mark.django_db
def test_admin__edits_a_page_the_migration_created(
    admin_client_logged: Client, legal_pages: dict[str, LegalPage]
) -> None:
    """The migration writes no revision: the editor starts from the page itself."""
    privacy = legal_pages[LegalKind.PRIVACY]
    response = admin_client_logged.get(reverse("wagtailadmin_pages:edit", args=[privacy.pk]))
    assert response.status_code == 200
    assert 'value="Politique de confidentialité"' in response.content.decode()
