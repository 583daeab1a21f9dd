"""Site-wide pages: home, search, and the region and era pages, which gather actors and case
studies. Being site-wide, they may draw on both the core domain and the case studies."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from casestudies.models import CaseStudy
from cooperation import public_search
from cooperation.models import Actor, Challenge, Era, Mechanism, Region, Status, Topic
from cooperation.search import (
    close_matches,
    ordered_by_rank,
    search,
    search_words,
    words_found,
)
from cooperation.views import CASE_STUDIES_SHOWN

SEARCH_LIMIT_PER_KIND = 20
# A search that finds fewer than this also lists the names close to its words found nowhere (a
# misspelling), this many at most, and suggests the closest.
FEW_RESULTS = 5
CLOSE_MATCHES_SHOWN = 10


ACTORS_SHOWN = 50


class HomeView(TemplateView):
    query_parameters = ()
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        case_studies = CaseStudy.objects.published()
        return super().get_context_data(
            counts={
                "case studies": case_studies.count(),
                "actors": Actor.objects.published().count(),
                "mechanisms": Mechanism.objects.published().count(),
                "challenges": Challenge.objects.published().count(),
            },
            featured=case_studies.filter(featured=True).order_by("title"),
            recently_updated=case_studies.order_by("-updated_at")[:5],
            # Top level as the public sees it: a draft parent must not hide a published component.
            mechanisms=Mechanism.objects.published().exclude(parent__status=Status.PUBLISHED),
            challenges=Challenge.objects.published(),
            actor_kinds=Actor.Kind.choices,
            regions=Region.objects.all(),
            eras=Era.objects.all(),
            topics=Topic.objects.published().only("title", "slug", "summary"),
            **kwargs,
        )


class SearchView(TemplateView):
    """One ranked list of matching case studies, actors, mechanisms, challenges and topics, or of
    one kind of them (`?kind=`, the kinds' keys as topics refer to them). A search that finds
    few also lists the records whose names or titles come close to its words, and suggests the
    closest ("Did you mean Afghanistan?"): only records the user may see."""

    template_name = "search.html"
    query_parameters = ("q", "kind")
    kinds = {
        "case-study": (CaseStudy, "Case study"),
        "actor": (Actor, "Actor"),
        "mechanism": (Mechanism, "Mechanism"),
        "challenge": (Challenge, "Challenge"),
        "topic": (Topic, "Topic"),
    }

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "")
        asked = self.request.GET.get("kind", "")
        # An unknown kind is said and ignored, as the list's filters do: every kind is searched.
        kind = asked if asked in self.kinds else ""
        searched = {kind: self.kinds[kind]} if kind else self.kinds
        labels = dict(searched.values())
        models = list(labels)
        user = self.request.user
        # Readers who see no drafts are answered by a statement per step for every kind.
        public = public_search.applies(user, models)
        visible = [model.objects.visible_to(user) for model in models]
        if public:
            best = public_search.best_published(models, text, SEARCH_LIMIT_PER_KIND)
        else:
            best = [
                (entries.model, entry)
                for entries in visible
                for entry in ordered_by_rank(search(entries, text))[:SEARCH_LIMIT_PER_KIND]
            ]
        results = sorted(best, key=lambda result: -result[1].rank)
        close = []
        unknown = (
            self.unknown_words(visible, text, results, public) if len(results) < FEW_RESULTS else []
        )
        if unknown:
            found = {(type(entry), entry.pk) for _, entry in results}
            close = [
                (model, entry)
                for model, entry in self.close(visible, " ".join(unknown), public)
                if (model, entry.pk) not in found
            ]
            close.sort(key=lambda match: (-match[1].closeness, -match[1].likeness))
            close = close[:CLOSE_MATCHES_SHOWN]
        return super().get_context_data(
            search_text=text,
            words=search_words(text),
            kind=kind,
            kinds=[
                (key, model._meta.verbose_name_plural) for key, (model, _) in self.kinds.items()
            ],
            unknown_kind=asked if asked and not kind else "",
            results=[(labels[model], entry) for model, entry in results],
            close_matches=[(labels[model], entry) for model, entry in close],
            suggestion=self.suggestion(text, close, kind),
            **kwargs,
        )

    @staticmethod
    def unknown_words(visible, text, results, public):
        """The words of the search found in nothing the user may see (misspelt, perhaps): the
        only ones close names are looked for. Names close to a common word ("intelligence") are
        thousands at 100,000 case studies, and took most of a second to rank."""
        words = search_words(text)
        if len(words) == 1:
            # The search was of this word alone, in the same records: the results tell.
            return [] if results else words
        if public:
            found = public_search.published_words_found([qs.model for qs in visible], words)
        else:
            found = words_found(visible, words)
        return [word for word in words if word not in found]

    @staticmethod
    def close(visible, text, public):
        """(model, entry) for the entries of each kind whose names come closest to `text`."""
        if public:
            return public_search.close_published(
                [entries.model for entries in visible], text, CLOSE_MATCHES_SHOWN
            )
        return [
            (entries.model, entry)
            for entries in visible
            for entry in close_matches(entries, text, CLOSE_MATCHES_SHOWN)
        ]

    @staticmethod
    def suggestion(text, close, kind):
        """The closest name or title, as (text, the search for it), unless it is what was asked."""
        if not close:
            return None
        name = close[0][1].close_name
        if name.casefold() == " ".join(search_words(text)).casefold():
            return None
        query = {"q": name, **({"kind": kind} if kind else {})}
        return name, f"{reverse('search')}?{urlencode(query)}"


class RegionListView(ListView):
    model = Region
    query_parameters = ()


class RegionDetailView(DetailView):
    model = Region
    query_parameters = ()

    def get_context_data(self, **kwargs):
        user = self.request.user
        case_studies = CaseStudy.objects.visible_to(user).filter(regions=self.object)
        actors = Actor.objects.visible_to(user).filter(region=self.object)
        return super().get_context_data(
            actors=actors[:ACTORS_SHOWN],
            actor_count=actors.count(),
            case_studies=case_studies.order_by("-pk")[:CASE_STUDIES_SHOWN],
            case_study_count=case_studies.count(),
            **kwargs,
        )


class EraListView(ListView):
    model = Era
    query_parameters = ()


class EraDetailView(DetailView):
    model = Era
    query_parameters = ()

    def get_context_data(self, **kwargs):
        case_studies = CaseStudy.objects.visible_to(self.request.user).filter(
            self.object.condition()
        )
        return super().get_context_data(
            case_studies=case_studies.order_by("-pk")[:CASE_STUDIES_SHOWN],
            case_study_count=case_studies.count(),
            **kwargs,
        )


class CodebookView(TemplateView):
    """The codebook: what each field and category means (docs/codebook.md, one source)."""

    template_name = "codebook.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        codebook = (settings.BASE_DIR / "docs" / "codebook.md").read_text(encoding="utf-8")
        return super().get_context_data(codebook=codebook, **kwargs)
