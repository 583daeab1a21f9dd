"""The core app's signal handlers, connected by CooperationConfig.ready() for the senders they
concern: a change to an atlas record of this app or to its links retires cached pages
(cooperation.caching); deactivating a user ends their sessions and token; a database error while
handling a request is noted on it, so that the outage middleware answers 503."""

from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.db.models.signals import post_save

from cooperation.caching.versions import connect_content_signals
from cooperation.editorial.accounts import user_saved
from cooperation.models import TimeStampedModel
from cooperation.outage import note_database_error


def register_signal_handlers(app_config):
    connect_content_signals(
        model for model in app_config.get_models() if issubclass(model, TimeStampedModel)
    )
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="atlas-user-deactivated")
    got_request_exception.connect(note_database_error, dispatch_uid="atlas-database-outage")
