"""Adding a source in the admin (also from the "+" pop-up of a case study): the slug is made
from the title at a word boundary, and a second entry for a source the atlas has is pointed
out before it is saved."""

import pytest
from django.urls import reverse
from django.utils.text import slugify

from cooperation.admin.sources import slug_from_title
from cooperation.models import Source
from tests.factories import SourceFactory
from tests.support.world import staff_member

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Strategic Concept for the Defence and Security of the Members of the North Atlantic "
    "Treaty Organisation adopted by the Heads of State and Government in Lisbon"
)


def test_a_long_title_is_cut_after_a_whole_word():
    whole = slugify(LONG_TITLE)
    slug = slug_from_title(LONG_TITLE, 120)
    assert len(whole) > 120 and len(slug) <= 120
    assert whole.startswith(slug) and whole[len(slug)] == "-"  # ends with a whole word
    assert "-" not in whole[len(slug) + 1 : 121]  # and is the longest that does
    assert slug.endswith("-adopted-by-the")
    assert slug_from_title("NATO Strategic Concept", 120) == "nato-strategic-concept"


def test_a_slug_in_use_gets_a_number():
    taken = {"nato-strategic-concept", "nato-strategic-concept-2"}
    assert slug_from_title("NATO Strategic Concept", 120, taken.__contains__) == (
        "nato-strategic-concept-3"
    )


@pytest.fixture
def editor_client(client):
    client.force_login(staff_member("eddie", "Editors"))
    return client


def add_source(client, **fields):
    data = {
        "title": LONG_TITLE,
        "slug": "",
        "publisher": "NATO",
        "kind": "official",
        "url": "https://www.nato.int/strategic-concept/",
        "author": "",
        "published_on": "",
        "accessed_on": "",
        "_popup": "1",  # the "+" pop-up of a case study or actor form
        **fields,
    }
    return client.post(f"{reverse('admin:cooperation_source_add')}?_popup=1", data)


def test_an_editor_adds_a_source_without_typing_a_slug(editor_client):
    response = add_source(editor_client)
    assert response.status_code == 200
    assert 'id="django-admin-popup-response-constants"' in response.content.decode()  # saved
    source = Source.objects.get(title=LONG_TITLE)
    assert source.slug == slug_from_title(LONG_TITLE, 120)


def test_a_possible_duplicate_is_pointed_out_and_nothing_is_saved(editor_client):
    existing = SourceFactory(
        title="Strategic Concept", url="https://www.nato.int/strategic-concept/"
    )
    before = Source.objects.count()
    response = add_source(editor_client, title="NATO Strategic Concept 2010")
    text = response.content.decode()
    assert "The atlas may have this source already" in text
    assert reverse("admin:cooperation_source_change", args=[existing.pk]) in text
    assert Source.objects.count() == before

    same_title = add_source(editor_client, title="strategic concept ", url="")
    assert "may have this source already" in same_title.content.decode()
    assert Source.objects.count() == before

    confirmed = add_source(
        editor_client, title="NATO Strategic Concept 2010", confirm_distinct="on"
    )
    assert confirmed.status_code in (200, 302)
    assert Source.objects.filter(title="NATO Strategic Concept 2010").exists()


def test_a_slug_cut_mid_word_by_the_admins_script_is_cut_after_a_whole_word(editor_client):
    cut_by_script = slugify(LONG_TITLE)[:120]
    assert cut_by_script.endswith("-the-h")  # mid-word
    add_source(editor_client, slug=cut_by_script)
    assert Source.objects.get(title=LONG_TITLE).slug == slug_from_title(LONG_TITLE, 120)


def test_a_slug_the_editor_chose_is_kept(editor_client):
    add_source(editor_client, slug="nato-2010-concept")
    assert Source.objects.get(title=LONG_TITLE).slug == "nato-2010-concept"
