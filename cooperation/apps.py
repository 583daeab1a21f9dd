from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Cooperation: actors, mechanisms and challenges"

    def ready(self):
        from cooperation import accounts, references
        from cooperation.caching import connect_signals
        from cooperation.models import Actor, Challenge, Mechanism, Topic

        connect_signals()
        accounts.connect_signals()
        references.register("actor", Actor)
        references.register("mechanism", Mechanism)
        references.register("challenge", Challenge)
        references.register("topic", Topic)
