"""API resources for case studies and their sourced links: participations (actors and their
roles), mechanisms used and challenges met. The case-study list filters through the shared
CaseStudyFilterSet, so the API and the site's facets can never disagree."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from casestudies.api.filters import (
    CaseStudyAPIFilterSet,
    ChallengeEncounterFilterSet,
    MechanismUseFilterSet,
    ParticipationFilterSet,
    requested_facets,
)
from casestudies.api.serializers import (
    CaseStudyDetailSerializer,
    CaseStudyInputSerializer,
    CaseStudySerializer,
    ChallengeEncounterInputSerializer,
    ChallengeEncounterSerializer,
    MechanismUseInputSerializer,
    MechanismUseSerializer,
    ParticipationInputSerializer,
    ParticipationSerializer,
)
from casestudies.cited_sources import attach_cited_sources
from casestudies.exports import COLUMNS, export_rows
from casestudies.facet_index import PagedByKey, answer, counted_facets
from casestudies.facets import count_facets
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.api.conditional import list_state
from cooperation.api.viewsets.base import ID_PATTERN, AtlasViewSet
from cooperation.api.viewsets.workflow import WorkflowActionsMixin
from cooperation.models import Actor, Challenge, Era, Mechanism, Region, Source

LIST_DEFERRED = ["body", "outcome_assessment", "lessons", "review_note"]


def visible_links(model, user):
    """The claims of one kind the user may see, with the record each links to."""
    return model.objects.visible_to(user).select_related(model.linked_field)


@extend_schema_view(
    list=extend_schema(
        summary="List case studies",
        description="Filtered with the same facets as the site. Without `ordering`: by "
        "relevance for a search, by title otherwise.",
    ),
    retrieve=extend_schema(
        summary="A case study, with its participants, mechanisms, challenges and sources"
    ),
)
class CaseStudyViewSet(WorkflowActionsMixin, AtlasViewSet):
    model = CaseStudy
    serializer_class = CaseStudyDetailSerializer
    list_serializer_class = CaseStudySerializer
    input_serializer_class = CaseStudyInputSerializer
    filterset_class = CaseStudyAPIFilterSet
    list_dependencies = (Region, Era)
    csv_filename = "case-studies"
    csv_columns = COLUMNS

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # The list shows none of the long texts: about 1.5 kB a row not fetched.
            return queryset.defer(*LIST_DEFERRED).prefetch_related("regions")
        return queryset

    def decorate(self, queryset):
        """The era; for one case study, also everything it embeds. Prefetched here, not in
        get_queryset(), which DRF's permission check builds too, only to learn the model: a
        cached read is answered after that check and needs none of it."""
        queryset = queryset.with_era()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            "regions",
            Prefetch(
                "countries",
                queryset=self.visible(Actor).filter(kind=Actor.Kind.STATE).order_by("name", "pk"),
            ),
        ).with_claims_shown_to(self.user)

    def complete(self, instance):
        attach_cited_sources(instance)  # decorate() prefetched its claims, not their sources
        return instance

    def bound_filterset(self):
        """The list's filters, bound to the request's query (made once a request)."""
        if not hasattr(self, "_bound_filterset"):
            self._bound_filterset = self.filterset_class(
                self.request.query_params, queryset=self.get_queryset(), request=self.request
            )
        return self._bound_filterset

    def indexed(self):
        """The facet index's answer for this list (casestudies.facet_index), or None where SQL
        answers: a release, a CSV, those who see drafts, a filter or order it does not hold."""
        if not hasattr(self, "_indexed"):
            self._indexed = None
            if self.pinned_release is None and self.request.accepted_renderer.format != "csv":
                filterset = self.bound_filterset()
                if filterset.is_valid():
                    found = answer(filterset, self.user, facets=False)  # if asked: list()
                    if found is not None and found.ordered_pks is not None:
                        self._indexed = found
        return self._indexed

    def filter_queryset(self, queryset):
        if self.action == "list" and self.indexed() is not None:
            # The index has filtered and ordered the list: list_state and list_page_source
            # read its answer, not a queryset (filtering one cost a fifth of the request).
            return queryset
        return super().filter_queryset(queryset)

    def list_state(self, queryset):
        found = self.indexed()
        if found is None:
            return super().list_state(queryset)
        # The tables the items embed, as the SQL state has them (their subqueries evaluated
        # over one row of the first), and the list's own count and latest change from the index.
        first, *_ = self.list_dependencies
        one_row = first.objects.filter(pk__in=first.objects.order_by("pk").values("pk")[:1])
        state = list_state(one_row, self.user, self.list_dependencies)
        return {**state, "count": len(found.ordered_pks), "last": found.last_update}

    def list_page_source(self, queryset):
        found = self.indexed()
        if found is None:
            return super().list_page_source(queryset)
        return PagedByKey(found.ordered_pks, self.decorate(self.get_queryset()))

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        names = requested_facets(request.query_params.get("facets"))
        if names and response.status_code == 200 and isinstance(response.data, dict):
            response.data["facets"] = self.facet_counts(names)
        return response

    def facet_counts(self, names):
        """The counts the site's sidebar shows for the same filters, every value of each facet
        named. A list pinned to a release counts its frozen data, never the live cache's."""
        filterset = self.bound_filterset()
        filterset.is_valid()  # already validated by the list: it answered 200
        count = count_facets if self.pinned_release is not None else counted_facets
        return {
            facet.name: {
                "label": facet.label,
                "values": [
                    {
                        "value": value.value,
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                    }
                    for value in facet.values
                ],
            }
            for facet in count(filterset, self.user)
            if facet.name in names
        }

    def etag_extra(self, instance):
        return (getattr(instance, "era_slug", None), getattr(instance, "era_name", None))

    def csv_rows(self, queryset):
        """The site's export: its columns, and only the links the user may see."""
        return export_rows(
            queryset.prefetch_related(None), self.user, self.request.build_absolute_uri
        )


class LinkViewSet(AtlasViewSet):
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return (
            visible_links(self.model, self.user)
            .select_related("case_study")
            .prefetch_related("sources")
        )


@extend_schema_view(
    list=extend_schema(summary="List participations of actors in case studies"),
    retrieve=extend_schema(summary="A participation"),
)
class ParticipationViewSet(LinkViewSet):
    model = Participation
    serializer_class = ParticipationSerializer
    input_serializer_class = ParticipationInputSerializer
    filterset_class = ParticipationFilterSet
    list_dependencies = (CaseStudy, Actor, Source)
    csv_filename = "participations"
    csv_fields = ("id", "case_study", "actor", "role", "confidence", "contribution", "updated_at")


@extend_schema_view(
    list=extend_schema(summary="List mechanisms used in case studies"),
    retrieve=extend_schema(summary="A mechanism used in a case study"),
)
class MechanismUseViewSet(LinkViewSet):
    model = MechanismUse
    serializer_class = MechanismUseSerializer
    input_serializer_class = MechanismUseInputSerializer
    filterset_class = MechanismUseFilterSet
    list_dependencies = (CaseStudy, Mechanism, Source)
    csv_filename = "mechanism-uses"
    csv_fields = ("id", "case_study", "mechanism", "confidence", "description", "updated_at")


@extend_schema_view(
    list=extend_schema(summary="List challenges met in case studies"),
    retrieve=extend_schema(summary="A challenge met in a case study"),
)
class ChallengeEncounterViewSet(LinkViewSet):
    model = ChallengeEncounter
    serializer_class = ChallengeEncounterSerializer
    input_serializer_class = ChallengeEncounterInputSerializer
    filterset_class = ChallengeEncounterFilterSet
    list_dependencies = (CaseStudy, Challenge, Source)
    csv_filename = "challenge-encounters"
    csv_fields = (
        "id",
        "case_study",
        "challenge",
        "confidence",
        "manifestation",
        "response",
        "updated_at",
    )
