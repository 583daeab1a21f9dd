"""The one JSON encoder of exports and backups: datetimes and times to the microsecond (Django's
own encoder cuts them to milliseconds), UTC written as Z, so that a round trip or a restore gives
back exactly the values that were saved."""

import datetime

from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)
