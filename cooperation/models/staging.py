"""An import file kept between its dry run and the real run, so it need not be chosen again
(cooperation.admin.views)."""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

# A dry run's file waits this long for the real run.
KEPT_FOR = datetime.timedelta(hours=1)


class StagedImportQuerySet(models.QuerySet):
    def current(self):
        return self.filter(created_at__gte=timezone.now() - KEPT_FOR)

    def expired(self):
        return self.filter(created_at__lt=timezone.now() - KEPT_FOR)


class StagedImport(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255, help_text="The file's name, as uploaded.")
    records = models.JSONField(encoder=DjangoJSONEncoder, help_text="The file's records, read.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = StagedImportQuerySet.as_manager()

    def __str__(self):
        return f"{self.name} ({self.user}, {self.created_at:%Y-%m-%d %H:%M})"
