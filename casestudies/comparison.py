"""Comparing case studies: the picks an analyst carries from page to page, and the side-by-side
table with what the picked case studies share.

Picks travel in the URL (`c`, once per case study), so a comparison can be bookmarked and sent;
the list's pages, searches and filters keep them. A signed-in analyst's last picks are also kept
in their session, for the next visit. An empty `c=` says "no picks" (and clears the kept ones)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.views.generic import ListView

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.limits import SLUG
from cooperation.views import VisibleToUserMixin

MIN_PICKS, MAX_PICKS = 2, 4
SESSION_KEY = "compare"


def requested_slugs(request):
    """The slugs the request names in `c`, in order, each once; or, with none named, those a
    signed-in user picked last. Only a slug can name a case study; anything else (a NUL byte,
    which PostgreSQL refuses even to compare) is treated as unknown."""
    if "c" in request.GET:
        slugs = list(dict.fromkeys(slug for slug in request.GET.getlist("c") if slug))
        if request.user.is_authenticated:
            request.session[SESSION_KEY] = [slug for slug in slugs if SLUG.fullmatch(slug)][
                :MAX_PICKS
            ]
        return slugs
    if request.user.is_authenticated:
        return list(request.session.get(SESSION_KEY, []))
    return []


@dataclass
class Picks:
    """What was asked for, split into the case studies taken (at most four, in the order picked)
    and what was refused, each refusal naming the slug or title and why."""

    slugs: list = field(default_factory=list)
    refused: list = field(default_factory=list)

    def __len__(self):
        return len(self.slugs)

    def __contains__(self, slug):
        return slug in self.slugs


def resolve_picks(request, queryset):
    """The request's picks checked against `queryset` (what the user may see), in one query
    (none for no picks)."""
    asked = requested_slugs(request)
    valid = [slug for slug in asked if SLUG.fullmatch(slug)]
    titles = dict(queryset.filter(slug__in=valid).values_list("slug", "title")) if valid else {}
    picks = Picks()
    for slug in asked:
        if slug not in titles:
            picks.refused.append(f"No case study “{slug}” in the atlas: left out.")
        elif len(picks.slugs) == MAX_PICKS:
            picks.refused.append(
                f"At most {MAX_PICKS} case studies can be compared: “{titles[slug]}” was left out."
            )
        else:
            picks.slugs.append(slug)
    return picks


@dataclass(frozen=True)
class Cell:
    """One item in a column of the comparison table, and whether every column has it."""

    item: object
    shared: bool
    note: str = ""


def _participants(case):
    """A case study's participants, keyed by (actor, side), with their role: an adversary of one
    case and a partner of another are not the same participant."""
    return [
        (
            (link.actor, link.role == Participation.Role.ADVERSARY),
            link.actor,
            link.get_role_display(),
        )
        for link in case.participation_set.all()
    ]


def _records(records_of):
    """Records keyed by themselves, without a note."""
    return lambda case: [(record, record, "") for record in records_of(case)]


def shared_rows(case_studies):
    """The table's rows of lists: regions, participants (with roles), mechanisms, challenges,
    each item marked shared when every compared case study has its key (a participant: on the
    same side)."""
    rows = []
    for label, items_of in [
        ("Regions", _records(lambda case: case.regions.all())),
        ("Participants", _participants),
        ("Mechanisms", _records(lambda case: [u.mechanism for u in case.mechanismuse_set.all()])),
        (
            "Challenges",
            _records(lambda case: [m.challenge for m in case.challengeencounter_set.all()]),
        ),
    ]:
        columns = [items_of(case) for case in case_studies]
        in_every = set.intersection(*({key for key, _, _ in column} for column in columns))
        cells = [
            [Cell(item, key in in_every, note) for key, item, note in column] for column in columns
        ]
        rows.append((label, cells))
    return rows


class CompareView(VisibleToUserMixin, ListView):
    """Two to four case studies side by side, with what they share marked."""

    model = CaseStudy
    template_name = "casestudies/compare.html"
    query_parameters = ("c",)

    def get_queryset(self):
        user = self.request.user
        self.picks = resolve_picks(self.request, super().get_queryset())
        return (
            super()
            .get_queryset()
            .filter(slug__in=self.picks.slugs)
            .with_era()
            .prefetch_related(
                "regions",
                Prefetch(
                    "participation_set",
                    queryset=Participation.objects.visible_to(user).select_related("actor"),
                ),
                Prefetch(
                    "mechanismuse_set",
                    queryset=MechanismUse.objects.visible_to(user).select_related("mechanism"),
                ),
                Prefetch(
                    "challengeencounter_set",
                    queryset=ChallengeEncounter.objects.visible_to(user).select_related(
                        "challenge"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = {slug: index for index, slug in enumerate(self.picks.slugs)}
        case_studies = sorted(context["object_list"], key=lambda case: order[case.slug])
        enough = len(case_studies) >= MIN_PICKS

        def same(value_of):
            return enough and len({value_of(case) for case in case_studies}) == 1

        context.update(
            case_studies=case_studies,
            refused=self.picks.refused,
            rows=shared_rows(case_studies) if enough else [],
            enough=enough,
            shared_outcome=same(lambda case: case.outcome),
            shared_era=same(lambda case: case.era_name) and bool(case_studies[0].era_name),
        )
        return context
