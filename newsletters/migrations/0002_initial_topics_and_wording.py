"""The first consent wording and the three topics the hub starts with."""

from django.db import migrations

WORDING = (
    "J'accepte de recevoir par courriel les lettres d'information du Carburateur sur les "
    "thèmes choisis. Je peux me désinscrire à tout moment grâce au lien présent dans chaque "
    "courriel. Mes données ne sont utilisées que pour ces envois et ne sont jamais cédées."
)
TOPICS = [
    ("actualites", "Actualités du Carburateur", "Les nouvelles du pôle et de ses résident·es."),
    ("formations-cma", "Formations et réunions de la CMA", "Ateliers, formations, réunions."),
    ("concours-votes", "Concours et votes", "Les concours du Carburateur et l'ouverture des votes."),
]


def create(apps, schema_editor):
    ConsentWording = apps.get_model("newsletters", "ConsentWording")
    Topic = apps.get_model("newsletters", "Topic")
    if not ConsentWording.objects.exists():
        ConsentWording.objects.create(version=1, text=WORDING)
    for order, (slug, name, description) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )


def remove(apps, schema_editor):
    Topic = apps.get_model("newsletters", "Topic")
    Topic.objects.filter(slug__in=[slug for slug, _, _ in TOPICS], subscribers=None).delete()


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
