"""The case-study app's signal handlers, connected by CasestudiesConfig.ready(): a change to a
case study, one of its claims or their links retires cached pages (cooperation.caching) and is
noted for the case study's history (cooperation.editorial.history)."""

from cooperation.caching.versions import connect_content_signals
from cooperation.editorial.history import connect_history_signals
from cooperation.editorial.withdrawals import connect_withdrawal_signals
from cooperation.models import TimeStampedModel


def register_signal_handlers(app_config):
    connect_content_signals(
        model for model in app_config.get_models() if issubclass(model, TimeStampedModel)
    )
    connect_history_signals(app_config.get_models())
    connect_withdrawal_signals(app_config.get_models())
