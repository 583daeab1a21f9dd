"""What a page says about itself to machines: its canonical URL, and its record as schema.org
JSON-LD (a `Dataset` for the atlas on the home page, an `Organization` for an actor, a
`CreativeWork` for a mechanism or a challenge, an `Article` for a topic; case studies are
described in casestudies.structured_data, which builds on this module).

Every description is built from the object the view renders and nothing else, so it says no
more than the page: what the public cannot see on the page (a draft, a change waiting for
review) cannot reach it. The JSON is escaped to sit inside a <script> element: no `<`, `>` or
`&` survives, so no text an editor writes can close the element."""

import json

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cooperation.models import Actor, Challenge, Mechanism, Release, Topic
from cooperation.releases.citation import DATASET_TITLE, LICENCE

CONTEXT = "https://schema.org"
LICENCE_URL = LICENCE["path"]
DATASET_DESCRIPTION = (
    "A curated, sourced database of counterterrorism cooperation in military alliances: which "
    "states, alliances, international organisations, NGOs and firms cooperated, through which "
    "mechanisms, what got in the way, and what worked. Every case study, and every claim that "
    "links it to an actor, mechanism or challenge, cites its sources and states how confident "
    "the atlas is in it."
)

# As json_script escapes them: inside <script>, JSON may hold none of these characters as they
# are ("</script>" would end the element, "<!--" would change how it is parsed).
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def canonical_url(request, page=None):
    """The page's one absolute address: its path with no query string. Filters, sorting,
    searches and previews are views of one page, not pages of their own; only a list's page
    number (`page`, given only when it is past the first) names a different document, so it is
    kept. It is taken from the view's own paginator, never from the query string as sent, so
    a stray `?page=` on a page that is not paginated (and is cached without it) changes
    nothing."""
    path = request.path
    if page is not None and page > 1:
        path = f"{path}?page={page}"
    return request.build_absolute_uri(path)


def script(data):
    """`data` as a <script type="application/ld+json"> element, safe to put in a page."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)
    safe = mark_safe(text)  # noqa: S308 - no <, > or & is left in it
    return format_html('<script type="application/ld+json">{}</script>', safe)


def timestamp(value):
    return value.isoformat() if value is not None else None


def without_empty(data):
    """The dict without the keys whose value says nothing (None, "" or an empty list)."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def atlas_organisation(request):
    """The atlas as the author and publisher of its records."""
    return {"@type": "Organization", "name": DATASET_TITLE, "url": request.build_absolute_uri("/")}


def dataset_reference(request):
    """The atlas as a dataset, as a record page names it (`isPartOf`)."""
    home = request.build_absolute_uri("/")
    return {"@type": "Dataset", "@id": f"{home}#dataset", "name": DATASET_TITLE, "url": home}


def reference(record, request, type_="Thing"):
    """A short mention of another record: its type, name and page."""
    name = getattr(record, "title", None) or getattr(record, "name", None) or str(record)
    return {
        "@type": type_,
        "name": name,
        "url": request.build_absolute_uri(record.get_absolute_url()),
    }


def dataset(request, parts=()):
    """The atlas as a schema.org Dataset: its downloads (the case studies as CSV and JSON, and the
    latest release's data package and JSON, with its page), its licence, and `parts`, the
    records the page itself lists (published ones only: the home page's featured case
    studies)."""
    home = request.build_absolute_uri("/")
    absolute = request.build_absolute_uri
    distribution = [
        {
            "@type": "DataDownload",
            "name": "Case studies (CSV)",
            "encodingFormat": "text/csv",
            "contentUrl": absolute(reverse("casestudies:export-csv")),
        },
        {
            "@type": "DataDownload",
            "name": "Case studies (JSON)",
            "encodingFormat": "application/json",
            "contentUrl": absolute(reverse("casestudies:export-json")),
        },
    ]
    release = Release.objects.only("version", "cut_at").first()  # the newest (Meta.ordering)
    if release is not None:
        page = absolute(release.get_absolute_url())
        for kind, name, encoding in [
            ("zip", "data package (zip)", "application/zip"),
            ("json", "whole release (JSON)", "application/json"),
        ]:
            download = reverse("releases:download", args=[release.version, kind])
            distribution.append(
                {
                    "@type": "DataDownload",
                    "name": f"Release {release.version}: {name}",
                    "encodingFormat": encoding,
                    "contentUrl": absolute(download),
                    "url": page,
                    "dateModified": timestamp(release.cut_at),
                }
            )
    return without_empty(
        {
            "@context": CONTEXT,
            "@type": "Dataset",
            "@id": f"{home}#dataset",
            "name": DATASET_TITLE,
            "description": DATASET_DESCRIPTION,
            "url": home,
            "license": LICENCE_URL,
            "isAccessibleForFree": True,
            "inLanguage": "en",
            "creator": atlas_organisation(request),
            "publisher": atlas_organisation(request),
            "version": release.version if release is not None else None,
            "distribution": distribution,
            "hasPart": [reference(part, request, "Article") for group in parts for part in group],
        }
    )


def record_page(record, request, type_):
    """What every record page says about itself: its type, name, summary, address, licence,
    dates, and that it belongs to the atlas."""
    name = getattr(record, "title", None) or record.name
    return without_empty(
        {
            "@context": CONTEXT,
            "@type": type_,
            "@id": canonical_url(request),
            "url": canonical_url(request),
            "name": name,
            "headline": name if type_ == "Article" else None,
            "description": record.summary,
            "datePublished": timestamp(record.published_at),
            "dateModified": timestamp(record.updated_at),
            "license": LICENCE_URL,
            "inLanguage": "en",
            "isPartOf": dataset_reference(request),
            "publisher": atlas_organisation(request),
        }
    )


def organisation(actor, request):
    """An actor as a schema.org Organization. The atlas's page is the one on which the actor is
    the main entity (`mainEntityOfPage`); `url` is the actor's own website, where it has one,
    as schema.org means it, and `sameAs` names it in Wikidata."""
    page = canonical_url(request)
    same_as = []
    if actor.wikidata_qid:
        same_as.append(f"https://www.wikidata.org/wiki/{actor.wikidata_qid}")
    if actor.website:
        same_as.append(actor.website)
    return without_empty(
        {
            "@context": CONTEXT,
            "@type": "Organization",
            "@id": f"{page}#actor",
            "name": actor.name,
            "alternateName": actor.short_name,
            "description": actor.summary,
            "url": actor.website,
            "sameAs": same_as,
            "foundingDate": actor.founded.isoformat() if actor.founded else None,
            "dissolutionDate": actor.dissolved.isoformat() if actor.dissolved else None,
            "mainEntityOfPage": without_empty(
                {
                    "@type": "WebPage",
                    "@id": page,
                    "url": page,
                    "dateModified": timestamp(actor.updated_at),
                    "license": LICENCE_URL,
                    "isPartOf": dataset_reference(request),
                }
            ),
        }
    )


def concept(record, request):
    """A mechanism or a challenge: the atlas's page about it, as a CreativeWork."""
    data = record_page(record, request, "CreativeWork")
    data["genre"] = record.get_category_display()
    return data


def topic_article(topic, request):
    return record_page(topic, request, "Article")


DESCRIBERS = {
    Actor: organisation,
    Mechanism: concept,
    Challenge: concept,
    Topic: topic_article,
}


def describe(record, request):
    """The JSON-LD of a core record's page (an actor, mechanism, challenge or topic)."""
    return DESCRIBERS[type(record)](record, request)
