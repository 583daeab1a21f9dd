"""The core app's signal handlers, connected by CooperationConfig.ready() for the senders they
concern: a change to an atlas record of this app or to its links retires cached pages
(cooperation.caching) and is noted for the entries' history (cooperation.editorial.history);
deactivating a user ends their sessions and token; a database error while handling a request is
noted on it, so that the outage middleware answers 503; after `migrate`,
the editorial groups get the rights of every kind of record; and a topic loaded raw (Django's
`loaddata`, which skips Topic.save()) still records the records its text refers to."""

from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.db.models.signals import post_migrate, post_save

from cooperation.caching.versions import connect_content_signals
from cooperation.editorial.accounts import user_saved
from cooperation.editorial.groups import sync_editorial_groups
from cooperation.editorial.history import connect_history_signals
from cooperation.editorial.withdrawals import connect_withdrawal_signals
from cooperation.models import TimeStampedModel, Topic
from cooperation.outage import note_database_error


def topic_loaded(sender, instance, raw=False, **kwargs):
    if raw:
        instance.record_references()


def register_signal_handlers(app_config):
    connect_content_signals(
        model for model in app_config.get_models() if issubclass(model, TimeStampedModel)
    )
    connect_history_signals(app_config.get_models())
    connect_withdrawal_signals(app_config.get_models())
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="atlas-user-deactivated")
    got_request_exception.connect(note_database_error, dispatch_uid="atlas-database-outage")
    post_migrate.connect(sync_editorial_groups, dispatch_uid="atlas-editorial-groups")
    post_save.connect(topic_loaded, sender=Topic, dispatch_uid="atlas-topic-loaded")
