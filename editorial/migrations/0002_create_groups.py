"""Create the editorial groups with their permissions (idempotent, reversible).

The permissions are frozen here rather than imported, as a migration should be.
"""

from django.db import migrations

COMMUNICATION = "Communication"
CHAMBER = "Chambre de métiers"

# Granted on the tree root (depth 1), so they cover every page wherever it sits.
PAGE_PERMISSIONS = {
    COMMUNICATION: ["add_page", "change_page"],
    CHAMBER: [],
}
# Granted on the root collection.
COLLECTION_PERMISSIONS = {
    COMMUNICATION: [
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
    CHAMBER: [],
}
MODEL_PERMISSIONS = {
    COMMUNICATION: [("wagtailadmin", "admin", "access_admin")],
    CHAMBER: [("wagtailadmin", "admin", "access_admin")],
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    for name in (COMMUNICATION, CHAMBER):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in MODEL_PERMISSIONS[name]:
            group.permissions.add(_permission(apps, app_label, model, codename))
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        for app_label, model, codename in COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(apps, app_label, model, codename),
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=[COMMUNICATION, CHAMBER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
