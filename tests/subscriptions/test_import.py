from __future__ import annotations

import tracemalloc
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from django.core.management import CommandError, call_command

from mailing.addresses import address_hash
from mailing.models import Suppression
from subscriptions.importer import SubscriberCsvImport
from subscriptions.models import ConsentEvent, Subscriber

pytestmark = pytest.mark.django_db


def write_csv(tmp_path: Path, text: str, name: str = "abonnes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(path: Path, *topics: str) -> str:
    err = StringIO()
    call_command(
        "import_subscribers", str(path), source="Salon 2025", topics=",".join(topics), stderr=err
    )
    return err.getvalue()


def test_import__a_single_bad_row_imports_nothing_and_every_bad_row_is_listed(
    tmp_path: Path, topics: dict
) -> None:
    path = write_csv(
        tmp_path,
        "email;themes\n"
        "bon@example.fr;actualites\n"
        "pas-une-adresse;actualites\n"
        "autre@example.fr;inexistant\n"
        ";actualites\n"
        "encore@example.fr;\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Rien n'a été importé : 4 ligne"):
        call_command("import_subscribers", str(path), source="Salon", stderr=err)
    output = err.getvalue()
    assert "Ligne 3 (pas-une-adresse) : Saisissez une adresse électronique valide." in output
    assert "Ligne 4 (autre@example.fr) : thème inconnu : inexistant" in output
    assert "Ligne 5 () : adresse manquante" in output
    assert "Ligne 6 (encore@example.fr) : aucun thème" in output
    assert not Subscriber.objects.exists()
    assert not ConsentEvent.objects.exists()


def test_import__valid_file_imports_confirmed_subscribers_and_merges_duplicates(
    tmp_path: Path, topics: dict, subscribe: Any
) -> None:
    subscribe("deja@example.fr", topics=["concours-votes"])  # pending
    path = write_csv(
        tmp_path,
        "Email,Thèmes\n"
        "un@example.fr,actualites|formations-cma\n"
        "UN@example.fr,Concours et votes\n"
        "deja@example.fr,\n"
        "idn@café.fr,\n"
        "\n",
    )
    import_file(path, "actualites")

    assert Subscriber.objects.count() == 3
    one = Subscriber.objects.get(email__iexact="un@example.fr")
    assert one.status == Subscriber.Status.CONFIRMED
    assert one.topic_slugs == ["actualites", "concours-votes", "formations-cma"]
    assert one.source == "import : Salon 2025"
    already = Subscriber.objects.get(email="deja@example.fr")
    assert already.status == Subscriber.Status.CONFIRMED
    assert already.topic_slugs == ["actualites"]
    assert Subscriber.objects.filter(email="idn@xn--caf-dma.fr").exists()
    imports = ConsentEvent.objects.filter(kind=ConsentEvent.Kind.IMPORT)
    assert imports.count() == 3  # one per person, duplicates merged
    assert {event.source for event in imports} == {"import : Salon 2025"}


def test_import__refuses_unsubscribed_or_erased_addresses(tmp_path: Path, topics: dict) -> None:
    Suppression.objects.create(address_hash=address_hash("parti@example.fr"), reason="erased")
    path = write_csv(tmp_path, "email\nparti@example.fr\nnouveau@example.fr\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_subscribers", str(path), source="S", topics="actualites", stderr=err)
    assert "Ligne 2 ([adresse effacée]) : adresse désinscrite ou effacée" in err.getvalue()
    assert not Subscriber.objects.exists()


def test_import__non_utf8_file_is_refused_as_a_whole(tmp_path: Path, topics: dict) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("email\nbon@example.fr\nrené@exemple.fr\n".encode("latin-1"))
    with pytest.raises(CommandError, match="pas encodé en UTF-8"):
        import_file(path, "actualites")
    assert not Subscriber.objects.exists()


def test_import__file_without_an_email_column_is_refused(tmp_path: Path, topics: dict) -> None:
    with pytest.raises(CommandError, match="colonne « email »"):
        import_file(write_csv(tmp_path, "nom,prenom\nDupont,Marie\n"), "actualites")


@pytest.mark.slow
def test_import__100_000_rows_in_bounded_memory_with_progress(tmp_path: Path, topics: dict) -> None:
    path = tmp_path / "gros.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("email,themes\n")
        for number in range(100_000):
            handle.write(f"personne{number}@example.fr,actualites\n")
    seen: list[tuple[str, int]] = []
    importer = SubscriberCsvImport(
        path, "Fichier historique", progress=lambda phase, done, total: seen.append((phase, done))
    )
    assert importer.count_rows() == 100_000

    tracemalloc.start()
    report = importer.validate()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.is_valid
    # One batch at a time: the whole file (100,000 rows) would need far more than this.
    assert peak < 8 * 1024 * 1024

    result = importer.run()
    assert (result.rows, result.created) == (100_000, 100_000)
    assert Subscriber.objects.count() == 100_000
    assert ("validation", 100_000) in seen
    assert [done for phase, done in seen if phase == "import"][:2] == [1000, 2000]
