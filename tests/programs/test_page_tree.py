"""Where each page type of the programs app may be created, and that the admin creates them."""

from __future__ import annotations

from datetime import UTC, datetime

from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from programs.models import (
    ContestIndexPage,
    ContestPage,
    EventIndexPage,
    EventPage,
    PartnerIndexPage,
    PartnerPage,
    ProgramIndexPage,
    ProgramPage,
)
from tests.factories.programs import (
    EventIndexPageFactory,
    PartnerIndexPageFactory,
    ProgramIndexPageFactory,
)

INDEX_AND_CHILD = [
    (ProgramIndexPage, ProgramPage),
    (EventIndexPage, EventPage),
    (PartnerIndexPage, PartnerPage),
    (ContestIndexPage, ContestPage),
]


class TestPageTree(WagtailPageTestCase):
    def setUp(self) -> None:
        self.home = Site.objects.get(is_default_site=True).root_page.specific

    def test_index_pages__only_under_the_home_page_and_only_their_own_children(self) -> None:
        for index_model, child_model in INDEX_AND_CHILD:
            with self.subTest(index=index_model.__name__):
                self.assertAllowedParentPageTypes(index_model, {HomePage})
                self.assertAllowedSubpageTypes(index_model, {child_model})
                self.assertCanCreateAt(HomePage, index_model)
                self.assertCanNotCreateAt(StandardPage, index_model)

    def test_detail_pages__only_under_their_index_and_without_children(self) -> None:
        for index_model, child_model in INDEX_AND_CHILD:
            with self.subTest(page=child_model.__name__):
                self.assertAllowedParentPageTypes(child_model, {index_model})
                self.assertAllowedSubpageTypes(child_model, set())
                self.assertCanNotCreateAt(HomePage, child_model)

    def test_index_pages__at_most_one_of_each(self) -> None:
        for index_model, _child in INDEX_AND_CHILD:
            with self.subTest(index=index_model.__name__):
                self.home.add_child(instance=index_model(title="Liste", slug=index_model.__name__))
                assert not index_model.can_create_at(self.home)

    def test_admin__creates_a_program_under_the_program_index(self) -> None:
        self.login()
        index = ProgramIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            index,
            ProgramPage,
            nested_form_data(
                {
                    "title": "Rendez-vous avec un expert-comptable",
                    "kind": "rendez-vous-experts",
                    "audience": "Créateurs d'entreprise",
                    "is_free": "on",
                    "summary": "Un expert répond à vos questions.",
                    "body": streamfield([]),
                }
            ),
        )
        program = ProgramPage.objects.get()
        assert program.live and program.kind == "rendez-vous-experts"

    def test_admin__creates_an_event_and_a_partner(self) -> None:
        self.login()
        agenda = EventIndexPageFactory(parent=self.home)
        partners = PartnerIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            agenda,
            EventPage,
            nested_form_data(
                {
                    "title": "Réunion d'information CMA",
                    "start": "2030-03-05 18:00",
                    "end": "2030-03-05 20:00",
                    "place": "Le Carburateur",
                    "registration_url": "https://example.org/inscription",
                    "registration_questions": streamfield([]),
                    "body": streamfield([]),
                }
            ),
        )
        self.assertCanCreate(
            partners,
            PartnerPage,
            nested_form_data(
                {
                    "title": "Chambre de métiers et de l'artisanat",
                    "short_name": "CMA",
                    "convention": rich_text("<p>Mutualiser les savoir-faire.</p>"),
                    "body": streamfield([]),
                }
            ),
        )
        event = EventPage.objects.get()
        # The admin reads the time as Marseille's: 18:00 in March is 17:00 UTC.
        assert event.start == datetime(2030, 3, 5, 17, 0, tzinfo=UTC)
