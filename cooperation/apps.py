from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Cooperation: actors, mechanisms and challenges"

    def ready(self):
        from cooperation.caching import connect_signals

        connect_signals()
