"""The demo campaigns and joint statements that `load_demo_data` builds: every status
in every language of the site, each about invented people of its own language,
statements with counted signatures whose unapproved or unnamed signers stay private,
and nothing new the second time."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Revision

from campaigns.choices import CampaignStatus, SignatureStatus, SignerKind, WhoMaySign
from campaigns.models import (
    CampaignIndexPage,
    CampaignPage,
    CampaignPrisoner,
    CampaignTheme,
    CampaignUpdate,
    Signature,
    StatementIndexPage,
    StatementPage,
)
from campaigns.selectors import signature_counts

pytestmark = pytest.mark.django_db

LANGS = [code for code, _name in django_settings.LANGUAGES]
TRANSLATED = sorted(set(LANGS) - {"uk"})


def campaigns(lang):
    return CampaignPage.objects.live().filter(locale__language_code=lang)


def statements(lang):
    return StatementPage.objects.live().filter(locale__language_code=lang)


def test_campaigns_of_every_status_exist_in_every_language(demo):
    for lang in LANGS:
        pages = list(campaigns(lang))
        assert len(pages) >= 5
        statuses = [p.status for p in pages]
        assert set(statuses) == set(CampaignStatus.values)
        assert statuses.count(CampaignStatus.ACTIVE) >= 3
        index = CampaignIndexPage.objects.live().get(locale__language_code=lang)
        assert index.get_parent().locale.language_code == lang
        assert {p.pk for p in pages} == {
            p.pk for p in CampaignPage.objects.child_of(index).live()
        }


def test_campaigns_and_lists_are_translations_of_the_ukrainian_ones(demo):
    for model in (CampaignIndexPage, StatementIndexPage):
        assert model.objects.live().count() == len(LANGS)
        assert len({p.translation_key for p in model.objects.all()}) == 1
    for page in [*campaigns("uk"), *statements("uk")]:
        translations = page.get_translations().live()
        assert sorted(t.locale.language_code for t in translations) == TRANSLATED
    slugs = set(CampaignTheme.objects.values_list("slug", flat=True))
    assert {"interpol-abuse", "crimean-tatars", "journalists", "belarus"} <= slugs
    for theme in CampaignTheme.objects.filter(locale__language_code="uk"):
        assert (
            sorted(t.locale.language_code for t in theme.get_translations())
            == TRANSLATED
        )


def test_each_campaign_is_about_people_and_things_of_its_own_language(demo):
    for lang in LANGS:
        for page in campaigns(lang).select_related("theme"):
            links = list(page.prisoner_links.select_related("prisoner"))
            assert links, page
            for link in links:
                assert link.prisoner.locale_id == page.locale_id
                assert link.prisoner.live and link.prisoner.is_fictional
            assert page.theme.locale_id == page.locale_id
            if page.statement_id:
                assert page.statement.locale_id == page.locale_id
            assert page.summary and page.fundraising_goal > 0 and page.ends_on
            assert 2 <= page.updates.count() <= 3


def test_an_interpol_campaign_is_about_people_wanted_abroad(demo):
    for lang in LANGS:
        page = campaigns(lang).get(theme__slug="interpol-abuse")
        people = page.live_prisoners()
        assert people.count() >= 2
        assert {p.status for p in people} == {"wanted_abroad"}


def test_campaign_bodies_have_text_a_quote_and_somewhere_a_video(demo):
    for lang in LANGS:
        kinds = set()
        for page in campaigns(lang):
            blocks = [block.block_type for block in page.body]
            assert "paragraph" in blocks and "quote" in blocks
            kinds.update(blocks)
        assert "video" in kinds


def test_campaign_pages_render_with_their_people_in_each_language(demo, client):
    for lang in LANGS:
        for page in campaigns(lang):
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            html = response.content.decode()
            assert escape(page.title) in html
            for person in page.live_prisoners():
                assert escape(person.title) in html and person.url in html
            for update in page.updates.all():
                assert escape(update.title) in html


def test_statements_render_with_a_signature_count_in_each_language(demo, client):
    for lang in LANGS:
        pages = list(statements(lang))
        assert len(pages) == 2
        for page in pages:
            counts = signature_counts(page.translation_key)
            assert 15 <= counts.total <= 40
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            html = response.content.decode()
            assert escape(page.title) in html
            assert 'id="signature-count"' in html
            count = html.split('id="signature-count"', 1)[1].split("</p>", 1)[0]
            assert str(counts.total) in count
        index = StatementIndexPage.objects.live().get(locale__language_code=lang)
        listing = client.get(index.url).content.decode()
        assert all(page.url in listing for page in pages)


def test_one_statement_belongs_to_a_campaign_and_one_to_the_list(demo):
    for lang in LANGS:
        by_parent = {
            type(p.get_parent().specific): p for p in statements(lang).specific()
        }
        assert set(by_parent) == {CampaignPage, StatementIndexPage}
        in_campaign = by_parent[CampaignPage]
        campaign = in_campaign.get_parent().specific
        assert campaign.statement_id == in_campaign.pk
        assert campaign.status == CampaignStatus.ACTIVE
        kinds = {p.who_may_sign for p in by_parent.values()}
        assert kinds == {WhoMaySign.BOTH, WhoMaySign.ORGANISATIONS}
        assert any(
            p.closes_at and p.closes_at > timezone.now() for p in by_parent.values()
        )
        assert all(p.is_open for p in by_parent.values())


def test_statements_are_in_the_public_api(demo, client):
    response = client.get(
        "/api/v2/pages/",
        {"type": "campaigns.StatementPage", "fields": "signature_summary,who_may_sign"},
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert {i["id"] for i in items} >= set(
        StatementPage.objects.live().values_list("pk", flat=True)
    )
    assert all(i["signature_summary"]["total"] > 0 for i in items)


def test_demo_signatures_are_confirmed_and_keep_no_email(demo):
    signatures = Signature.objects.all()
    assert signatures.exists()
    assert not signatures.exclude(status=SignatureStatus.CONFIRMED).exists()
    assert not signatures.exclude(email="").exists()
    # Members co-sign from the admin and never give an email to erase.
    from network.models import Member

    by_email = signatures.exclude(name__in=Member.objects.values("name"))
    assert not by_email.filter(email_erased_at=None).exists()
    assert not signatures.filter(confirmed_at=None).exists()
    assert len(set(signatures.values_list("country", flat=True))) >= 10
    individuals = signatures.filter(kind=SignerKind.INDIVIDUAL)
    assert individuals.filter(show_name=True).exists()
    assert individuals.filter(show_name=False).exists()
    for page in statements("en"):
        kinds = set(
            signatures.filter(statement_key=page.translation_key).values_list(
                "kind", flat=True
            )
        )
        assert kinds == set(page.allowed_kinds)


def test_an_organisation_awaiting_approval_is_counted_but_not_shown(demo, client):
    waiting = Signature.objects.get(kind=SignerKind.ORGANISATION, approved=False)
    page = statements("en").get(translation_key=waiting.statement_key)
    approved = Signature.objects.filter(
        statement_key=waiting.statement_key, kind=SignerKind.ORGANISATION, approved=True
    )
    unnamed = Signature.objects.filter(
        statement_key=waiting.statement_key, show_name=False
    )
    assert approved.exists() and unnamed.exists()
    counts = signature_counts(waiting.statement_key)
    assert counts.organisations == approved.count() + 1
    assert counts.unnamed == unnamed.count()

    html = client.get(page.url).content.decode()

    assert escape(waiting.name) not in html
    assert all(escape(s.name) not in html for s in unnamed)
    assert all(escape(s.name) in html for s in approved)


def test_loading_demo_data_again_creates_and_changes_nothing(demo, settings):
    def snapshot():
        return {
            "pages": Page.objects.count(),
            "revisions": Revision.objects.count(),
            "rows": [
                m.objects.count()
                for m in (CampaignTheme, CampaignPrisoner, CampaignUpdate, Signature)
            ],
            "campaigns": sorted(
                CampaignPage.objects.values_list(
                    "pk", "title", "statement_id", "latest_revision_id"
                )
            ),
            "statements": sorted(
                StatementPage.objects.values_list(
                    "pk", "closes_at", "latest_revision_id", "last_published_at"
                )
            ),
        }

    settings.DEBUG = True
    before = snapshot()

    call_command("load_demo_data", "--quiet-accounts")

    assert snapshot() == before
