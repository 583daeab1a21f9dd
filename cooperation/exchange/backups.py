"""What backup_atlas writes and restore_atlas reads (docs/backups.md).

The file is a Django JSON fixture of every stored model, primary keys included, so `loaddata`
reads it; but timestamps keep their microseconds (cooperation.exchange.json), so a restore gives
back exactly the values that were saved."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers import json

from cooperation.exchange.json import ExactJSONEncoder
from cooperation.models import ContentVersion

FORMAT = "atlas-backup-json"


# What `migrate` itself writes into a new database; a restore replaces them with the backup's.
MIGRATE_FILLS = {ContentType, Permission, Group, Group.permissions.through, ContentVersion}


def stored_models():
    """Every model with a table of its own, many-to-many link tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = json.Deserializer


def register_format():
    serializers.register_serializer(FORMAT, __name__)
