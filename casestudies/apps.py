from django.apps import AppConfig


class CasestudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from casestudies.models import CaseStudy
        from cooperation import references

        references.register("case-study", CaseStudy)
