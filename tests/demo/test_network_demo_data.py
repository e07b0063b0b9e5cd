"""The demo network that `load_demo_data` builds: five invented members, one of them
not public, every demo case handled by someone, and the demo staff of two members,
who sign in with what the README publishes."""

import re
from pathlib import Path

import pyotp
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.demo import DEMO_MEMBER_STAFF, DEMO_PASSWORD
from campaigns.choices import SignerKind
from campaigns.models import Signature
from network.choices import StaffKind
from network.demo import DEMO_COSIGNATURES
from network.models import CaseHandling, Member, MemberStaffGroup
from prisoners.models import PrisonerPage

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = re.compile(r"`([A-Z2-7]{32})`")


def sign_in_table() -> tuple[dict[str, tuple[str, str]], str]:
    """The README's table of demo accounts, email → (role, TOTP secret), and the
    password it gives for all."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Signing in to the demo", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (secret := SECRET.fullmatch(cells[2])):
            rows[cells[0]] = (cells[1], secret.group(1))
    password = re.search(r"password `([^`]+)`", section).group(1)
    return rows, password


def sign_in(email: str, password: str, secret: str) -> Client:
    client = Client()
    response = client.post(
        "/en/accounts/login/", {"login": email, "password": password}
    )
    assert "/2fa/authenticate/" in response["Location"], response
    response = client.post(response["Location"], {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response
    return client


def uk_profiles():
    return PrisonerPage.objects.filter(locale__language_code="uk")


def test_there_are_five_members_and_exactly_one_is_not_public(demo):
    assert Member.objects.count() == 5
    assert Member.objects.public().count() == 4
    hidden = Member.objects.get(is_public=False)
    assert not hidden.named_in_transparency
    assert not hidden.website and not hidden.contact_email


def test_each_member_describes_itself_in_three_languages_and_has_staff_groups(demo):
    for member in Member.objects.all():
        assert member.description_uk and member.description_en and member.description_ru
        assert re.search("[іїєґ]", member.description_uk), member
        assert re.search("[ыэъё]", member.description_ru), member
        # Belarusian and Crimean Tatar ones are filled as they are translated.
        for lang in ("be", "crh"):
            assert member.description(lang), (member, lang)
        assert member.activities and member.work_languages
        assert set(
            MemberStaffGroup.objects.filter(member=member).values_list(
                "kind", flat=True
            )
        ) == {StaffKind.EDITORS, StaffKind.MODERATORS}
    assert 2 <= Member.objects.filter(named_in_transparency=True).count() <= 3


def test_every_demo_case_is_handled_by_one_or_two_members(demo):
    keys = set(uk_profiles().values_list("translation_key", flat=True))
    assert len(keys) >= 30
    for key in keys:
        assert 1 <= CaseHandling.objects.filter(case_key=key).count() <= 2, key
    assert set(CaseHandling.objects.values_list("case_key", flat=True)) <= keys


def test_the_non_public_member_handles_a_few_cases_and_some_roles_are_private(demo):
    assert CaseHandling.objects.filter(member__is_public=False).count() >= 3
    assert CaseHandling.objects.filter(member__is_public=True, role_public=False)
    assert CaseHandling.objects.filter(member__is_public=True, role_public=True)


def test_demo_member_staff_are_in_their_members_groups(demo):
    User = get_user_model()
    for email, slug, kind, _secret in DEMO_MEMBER_STAFF:
        user = User.objects.get(email=email)
        assert list(user.groups.values_list("member_staff__member__slug", flat=True))
        assert user.groups.filter(
            member_staff__member__slug=slug, member_staff__kind=kind
        ).exists()
        assert not user.is_superuser and not user.is_staff
    kinds = {(slug, kind) for _e, slug, kind, _s in DEMO_MEMBER_STAFF}
    assert len({slug for slug, _kind in kinds}) == 2
    assert (
        "lopan-legal-aid",
        StaffKind.MODERATORS,
    ) in kinds


def test_the_readme_lists_the_member_staff_and_they_sign_in_with_it(demo):
    rows, password = sign_in_table()
    assert password == DEMO_PASSWORD
    for email, slug, _kind, secret in DEMO_MEMBER_STAFF:
        role, published_secret = rows[email]
        assert published_secret == secret
        assert Member.objects.get(slug=slug).name in role
        client = sign_in(email, password, published_secret)
        assert client.get("/admin/").status_code == 200


def test_demo_totp_knows_the_member_staff(demo, capsys):
    email, _slug, _kind, secret = DEMO_MEMBER_STAFF[0]
    with override_settings(DEBUG=True):
        call_command("demo_totp", email)
    code = capsys.readouterr().out.strip().split()[-1]
    assert pyotp.TOTP(secret).verify(code)


def test_a_statement_page_links_its_co_signing_members_to_their_pages(demo):
    slugs = {member for _statement, member in DEMO_COSIGNATURES}
    assert Member.objects.public().filter(slug__in=slugs).count() == len(slugs) >= 1
    statement_slug = DEMO_COSIGNATURES[0][0]
    page = Client().get(f"/en/statements/{statement_slug}/").content.decode()
    for slug in slugs:
        member = Member.objects.get(slug=slug)
        assert re.search(
            rf'<a href="/en/network/{slug}/" class="signatory--member">'
            rf"{re.escape(member.name)}</a>",
            page,
        ), member


def test_loading_the_demo_again_adds_no_member_handling_account_or_cosignature(demo):
    before = (
        Member.objects.count(),
        CaseHandling.objects.count(),
        get_user_model().objects.count(),
        MemberStaffGroup.objects.count(),
        Signature.objects.filter(kind=SignerKind.ORGANISATION, email="").count(),
    )
    with override_settings(DEBUG=True):
        call_command("load_demo_data", "--quiet-accounts")
    assert (
        Member.objects.count(),
        CaseHandling.objects.count(),
        get_user_model().objects.count(),
        MemberStaffGroup.objects.count(),
        Signature.objects.filter(kind=SignerKind.ORGANISATION, email="").count(),
    ) == before


def admin_staff(client, django_user_model, *, email, group: Group) -> Client:
    from tests.conftest import signed_in

    return signed_in(client, django_user_model, email=email, group=group.name)


def test_a_members_editor_sees_each_case_once_with_its_language_versions(
    demo, client, django_user_model
):
    lopan = Member.objects.get(slug="lopan-legal-aid")
    editors = MemberStaffGroup.objects.get(member=lopan, kind=StaffKind.EDITORS)
    staff = admin_staff(
        client, django_user_model, email="new.lopan@example.org", group=editors.group
    )
    html = staff.get("/admin/").content.decode()
    panel = html.split('id="my-organisation-section"', 1)[1].split("</table>", 1)[0]
    cases = lopan.handlings.values_list("case_key", flat=True)
    versions = PrisonerPage.objects.filter(translation_key__in=cases)
    assert len(cases) > 10  # every case, none left out
    assert panel.count("<tr>") == len(cases) + 1  # one row a case, and the header
    assert versions.count() == len(django_settings.LANGUAGES) * len(cases)
    for page in versions:
        assert f"/admin/pages/{page.pk}/edit/" in panel


def panel_queries(member: Member, django_user_model) -> int:
    from network.admin_scope import MyOrganisationPanel

    user = django_user_model.objects.create_user(
        username=f"panel-{member.slug}", email=f"panel@{member.slug}.example.org"
    )
    user.groups.add(
        MemberStaffGroup.objects.get(member=member, kind=StaffKind.EDITORS).group
    )
    with CaptureQueriesContext(connection) as queries:
        MyOrganisationPanel(user).render_html({})
    return len(queries)


def test_the_panel_reads_as_many_queries_for_many_cases_as_for_few(
    demo, django_user_model
):
    many = Member.objects.get(slug="yaila-documentation")
    few = Member.objects.get(slug="vistula-interpol-clinic")
    assert many.handlings.count() > 2 * few.handlings.count()
    assert panel_queries(many, django_user_model) == panel_queries(
        few, django_user_model
    )


def test_the_board_is_sent_from_a_members_money_page_to_its_figures_by_member(
    demo, client, django_user_model
):
    board = admin_staff(
        client,
        django_user_model,
        email="new.board@example.org",
        group=Group.objects.get(name="Board"),
    )
    response = board.get("/admin/network/money/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'href="/admin/board/#members"' in html
    assert "for the staff of a member organisation" in html
    assert 'id="wagtail-sidebar"' in html  # an admin page, not a bare refusal
