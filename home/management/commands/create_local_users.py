"""Create one local user per editorial role and print their logins (local runs only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# Login, password, first name, last name, group (exactly that one, or none), is superuser.
# Two communications users, so that each can review the other's work (four eyes).
# Passwords are deliberately simple: this command refuses to run outside DEBUG.
LOCAL_USERS = [
    ("admin", "admin", "Alice", "Administratrice", None, True),
    ("redaction", "redaction", "Rémi", "Rédacteur", "Communication", False),
    ("relecture", "relecture", "Rachida", "Relectrice", "Communication", False),
    ("chambre", "chambre", "Claire", "Approbatrice", "Chambre de métiers", False),
]


class Command(BaseCommand):
    help = "Crée les utilisateurs locaux (un par rôle) et affiche leurs identifiants."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Ces comptes de démonstration ne sont créés qu'en local (DEBUG).")
        user_model = get_user_model()
        wanted = {group for *_, group, _superuser in LOCAL_USERS if group}
        missing = wanted - set(Group.objects.filter(name__in=wanted).values_list("name", flat=True))
        if missing:
            raise CommandError(
                f"Groupes absents : {', '.join(sorted(missing))}. Lancez d'abord « migrate »."
            )
        rows = []
        for username, password, first, last, group_name, is_superuser in LOCAL_USERS:
            user, _created = user_model.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last},
            )
            user.email = f"{username}@carburateur.localhost"
            user.is_staff = is_superuser
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            # Exactly the role's group: a rerun also removes any group added by hand since.
            user.groups.set(Group.objects.filter(name=group_name) if group_name else [])
            rows.append((username, password, group_name or "administrateur"))

        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(self.style.SUCCESS(f"\nAdministration : {base}/admin/"))
        for username, password, role in rows:
            self.stdout.write(f"  {username:<10} / {password:<10} ({role})")
        self.stdout.write("")
