from django.apps import AppConfig


class CasestudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from casestudies.models import CaseStudy
        from casestudies.signal_handlers import register_signal_handlers
        from cooperation import references

        register_signal_handlers(self)
        references.register("case-study", CaseStudy)
