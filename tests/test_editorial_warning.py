"""A page that names a person whose profile is unpublished, or the real name behind a
pseudonym, warns its editor, and goes to review only once they acknowledge it."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from campaigns.models import CampaignPage
from prisoners.mentions.editor import ACKNOWLEDGE_FIELD, page_mentions
from prisoners.mentions.names import NameFinder
from prisoners.mentions.page_text import page_text
from prisoners.mentions.selectors import Protection, protected_names_in
from tests.conftest import (
    add_profile,
    admin_in_english,
    make_user,
    sign_in_with_totp,
)
from tests.factories import CampaignPageFactory, PrisonerPageFactory

pytestmark = pytest.mark.django_db

WARNING = "This page names a person whose profile is protected."
HELD_BACK = "Not submitted for review"


@pytest.fixture
def unpublished(prisoner_index):
    return PrisonerPageFactory(
        parent=prisoner_index, title="Сергій Петренко", live=False
    )


@pytest.fixture
def pseudonymous(prisoner_index):
    return add_profile(
        prisoner_index,
        title="Світло",
        is_pseudonym=True,
        consent_name=False,
        legal_name="Іван Шевчук",
    )


@pytest.fixture
def named(prisoner_index):
    return add_profile(prisoner_index, title="Олег Сенцов")


@pytest.fixture
def editor(editor_with_totp):
    return admin_in_english(editor_with_totp)


def campaign_with(campaign_index, text, **fields):
    page = CampaignPageFactory(parent=campaign_index, live=False, **fields)
    page.body = [("paragraph", RichText(f"<p>{text}</p>"))]
    page.save()
    page.save_revision()
    return page


def edit_data(page, text, **extra):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "status": "active",
            "fundraising_goal": "0",
            "prisoner_links": inline_formset([]),
            "updates": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data


def in_review(page) -> bool:
    state = Page.objects.get(pk=page.pk).current_workflow_state
    return bool(state and state.status == "in_progress")


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Finding names in text -------------------------------------------------------


def test_an_unpublished_profiles_name_in_a_text_is_a_mention(unpublished):
    [mention] = protected_names_in(text="Свобода для Сергій   Петренко!")

    assert mention.profile.pk == unpublished.pk
    assert mention.found == "Сергій   Петренко"
    assert mention.protection is Protection.UNPUBLISHED


def test_a_live_named_profiles_name_is_no_mention(named):
    assert protected_names_in(text="Олег Сенцов вийшов на волю.") == []


def test_a_pseudonyms_real_name_is_a_mention_but_the_pseudonym_is_not(pseudonymous):
    assert protected_names_in(text="Листи для Світло приймає адвокат.") == []

    [mention] = protected_names_in(text="Листи для Івана Шевчука приймає адвокат.")
    assert mention.profile.pk == pseudonymous.pk
    assert mention.protection is Protection.PSEUDONYM


def test_a_real_name_added_in_a_draft_under_review_is_protected_already(
    pseudonymous,
):
    pseudonymous.legal_name = "Іван Коваленко"
    pseudonymous.save_revision()

    [mention] = protected_names_in(text="Коваленка перевели в СІЗО.")
    assert mention.profile.pk == pseudonymous.pk


@pytest.mark.parametrize(
    "text",
    [
        "Суд залишив Петренка під вартою.",
        "Листи Петренкові доходять.",
        "ПЕТРЕНКО — політв'язень.",
        "Petrenko's lawyer spoke.",
        "Serhii Petrenko is detained.",
        "Пе\u00adтре\u0301нко",
    ],
)
def test_inflected_cased_and_transliterated_forms_of_a_surname_are_caught(
    unpublished, text
):
    assert [m.profile.pk for m in protected_names_in(text=text)] == [unpublished.pk]


@pytest.mark.parametrize(
    "text",
    [
        "Сергій Іваненко отримав листи.",  # the given name belongs to someone else
        "Петренківська громада",  # a longer word, not the name
        "Петренковський",
    ],
)
def test_a_given_name_alone_or_a_longer_word_is_no_mention(unpublished, text):
    assert protected_names_in(text=text) == []


def test_a_surname_is_found_with_its_case_endings_but_not_as_another_surname():
    finder = NameFinder("Коваля засудили, а Ковальова виправдали.")

    assert finder.find("Олена Коваль") == "Коваля"
    assert NameFinder("Ковальова виправдали.").find("Олена Коваль") is None


def test_page_text_reads_titles_stream_blocks_and_inline_updates(campaign_index):
    page = CampaignPageFactory(parent=campaign_index, title="Свобода")
    page.body = [
        ("paragraph", RichText("<p>Перший</p><p>абзац</p>")),
        ("quote", {"text": "Цитата", "source": "Автор цитати"}),
    ]
    page.updates.create(date="2024-05-01", title="Новина", text="<p>Оновлення</p>")

    text = page_text(page)

    for words in ("Свобода", "Перший абзац", "Цитата", "Автор цитати", "Оновлення"):
        assert words in text


def test_the_profile_page_itself_does_not_warn_about_itself(unpublished):
    unpublished.story = "<p>Сергій Петренко — журналіст.</p>"

    assert page_mentions(unpublished) == []


def test_a_profile_that_names_another_protected_person_warns(
    prisoner_index, unpublished
):
    other = add_profile(prisoner_index, title="Андрій Бойко")
    other.story = "<p>Разом з ним затримали Сергія Петренка.</p>"

    assert [m.profile.pk for m in page_mentions(other)] == [unpublished.pk]


# --- In the editor ---------------------------------------------------------------


def test_the_editor_warns_when_a_campaign_names_an_unpublished_profile(
    staff_client, editor, campaign_index, unpublished
):
    page = campaign_with(campaign_index, "Свободу Сергію Петренку!")

    response = staff_client.get(f"/admin/pages/{page.pk}/edit/")

    html = messages_of(response)
    assert WARNING in html
    assert "undoes the protection of their profile" in html
    assert f'href="/admin/pages/{unpublished.pk}/edit/"' in html
    assert "Сергію Петренку" in html
    assert "whose profile is not published" in html
    assert f'name="{ACKNOWLEDGE_FIELD}"' in html
    assert 'form="page-edit-form"' in html


def test_submitting_without_acknowledging_is_held_back_and_the_draft_saved(
    staff_client, editor, campaign_index, unpublished
):
    page = campaign_with(campaign_index, "Про кампанію.")
    url = f"/admin/pages/{page.pk}/edit/"

    response = staff_client.post(
        url, edit_data(page, "Свободу Петренку!", **{"action-submit": "1"})
    )

    assert response.status_code == 302
    assert response["Location"].startswith(url)
    assert not in_review(page)
    draft = CampaignPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert "Петренку" in page_text(draft)
    reopened = staff_client.get(response["Location"])
    assert HELD_BACK in messages_of(reopened)
    assert WARNING in messages_of(reopened)


def test_submitting_with_acknowledgement_goes_into_review(
    staff_client, editor, campaign_index, unpublished
):
    page = campaign_with(campaign_index, "Про кампанію.")
    data = edit_data(
        page, "Свободу Петренку!", **{"action-submit": "1", ACKNOWLEDGE_FIELD: "1"}
    )

    response = staff_client.post(f"/admin/pages/{page.pk}/edit/", data)

    assert response.status_code == 302
    assert in_review(page)


def test_a_pseudonyms_real_name_holds_back_the_submit_but_the_pseudonym_does_not(
    staff_client, editor, campaign_index, pseudonymous
):
    page = campaign_with(campaign_index, "Про кампанію.")
    url = f"/admin/pages/{page.pk}/edit/"

    staff_client.post(url, edit_data(page, "Пишіть Шевчуку.", **{"action-submit": "1"}))
    assert not in_review(page)
    assert "real name of" in messages_of(staff_client.get(url))

    staff_client.post(url, edit_data(page, "Пишіть Світло.", **{"action-submit": "1"}))
    assert in_review(page)


def test_naming_a_live_named_profile_gives_no_warning(
    staff_client, editor, campaign_index, named
):
    page = campaign_with(campaign_index, "Олег Сенцов на волі.")
    url = f"/admin/pages/{page.pk}/edit/"

    assert WARNING not in messages_of(staff_client.get(url))
    staff_client.post(
        url, edit_data(page, "Олег Сенцов на волі.", **{"action-submit": "1"})
    )
    assert in_review(page)


def test_a_new_page_submitted_with_a_protected_name_is_created_as_a_draft_only(
    staff_client, editor, campaign_index, unpublished
):
    data = edit_data(
        CampaignPage(title="Нова кампанія", slug="nova", summary="Коротко."),
        "Свободу Сергію Петренку!",
        **{"action-submit": "1"},
    )

    response = staff_client.post(
        f"/admin/pages/add/campaigns/campaignpage/{campaign_index.pk}/", data
    )

    page = CampaignPage.objects.get(slug="nova")
    assert response["Location"].startswith(f"/admin/pages/{page.pk}/edit/")
    assert not page.live
    assert not in_review(page)
    assert WARNING in messages_of(staff_client.get(response["Location"]))


def test_an_editor_who_cannot_open_the_profile_is_not_told_whose_name_it_is(
    client, django_user_model, totp_secret, campaign_index, pseudonymous
):
    group = Group.objects.create(name="Campaigners")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=campaign_index,
            permission=Permission.objects.get(codename=codename),
        )
    campaigner = make_user(
        django_user_model,
        email="campaigner@example.org",
        group="Campaigners",
        totp_secret=totp_secret,
    )
    sign_in_with_totp(client, admin_in_english(campaigner), totp_secret)
    page = campaign_with(campaign_index, "Пишіть Івану Шевчуку.")

    html = messages_of(client.get(f"/admin/pages/{page.pk}/edit/"))

    assert WARNING in html
    assert "Світло" not in html
    assert f"/admin/pages/{pseudonymous.pk}/" not in html
