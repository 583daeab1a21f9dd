from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Cooperation: actors, mechanisms and challenges"

    def ready(self):
        from cooperation import references
        from cooperation.models import Actor, Challenge, Mechanism, Topic
        from cooperation.signal_handlers import register_signal_handlers

        register_signal_handlers(self)
        references.register("actor", Actor)
        references.register("mechanism", Mechanism)
        references.register("challenge", Challenge)
        references.register("topic", Topic)
