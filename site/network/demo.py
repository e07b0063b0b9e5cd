"""Demo content for the network: five INVENTED member organisations (one of them
not public), the demo cases spread among them, and demo staff for two of them.

`load_network()` is idempotent: members are found by slug, a case a member already
handles keeps the role it has, accounts that exist keep their password and
authenticator. What already exists is left as it is.

Two public members with demo staff have co-signed a demo statement, so a statement
page shows signatories that link to member pages; the Kharkiv editor still has
another statement to co-sign.

The members are data, in demo_members.json: names, places, websites (on
example.org) and people are all fictional. The one that is not public stands for a
member working where belonging to the network is itself a crime."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.demo import DEMO_MEMBER_STAFF, ensure_demo_account
from campaigns.models import StatementPage
from home.models import HomePage
from prisoners import choices as prisoner_choices
from prisoners.demo import PEOPLE, Person
from prisoners.models import PrisonerIndexPage, PrisonerPage

from .choices import CaseRole, StaffKind
from .cosign import member_cosign, member_signature
from .demo_be_crh import added
from .demo_pages import ensure_network_pages
from .models import CaseHandling, Member, MemberStaffGroup
from .services import handle_case
from .staff import ensure_member_groups

MEMBERS_FILE = Path(__file__).with_name("demo_members.json")

YAILA = "yaila-documentation"  # Crimea and the occupied south
LOPAN = "lopan-legal-aid"  # Kharkiv: lawyers
NERIS = "neris-asylum-network"  # Vilnius: asylum
VISTULA = "vistula-interpol-clinic"  # Warsaw: INTERPOL, CCF, extradition
QUIET_HARBOUR = "quiet-harbour"  # not public: families in Russia and Belarus

# (statement slug, member slug): members that have demo staff, so each co-signature
# is made the way the member's own editor would make it.
DEMO_COSIGNATURES = [
    ("free-the-civilian-hostages", YAILA),
    ("free-the-civilian-hostages", LOPAN),
]

OCCUPIED_SOUTH = {"kherson", "zaporizhzhia"}
EAST_AND_KYIV = {"kharkiv", "donetsk", "luhansk", "kyiv"}
IN_CUSTODY = {
    prisoner_choices.Status.PRETRIAL,
    prisoner_choices.Status.SENTENCED,
    prisoner_choices.Status.HOUSE_ARREST,
}


def case_roles(person: Person) -> list[tuple[str, str]]:
    """Who works on a demo case, as (member slug, role): at most two members, the
    ones a real case of this shape would reach first."""
    roles = []
    if person.interpol or person.extradition or person.sis:
        roles.append((VISTULA, CaseRole.LEGAL_DEFENCE))
    if person.asylum:
        roles.append((NERIS, CaseRole.FAMILY_SUPPORT))
    if person.region == "crimea" or person.region in OCCUPIED_SOUTH:
        roles.append((YAILA, CaseRole.DOCUMENTS))
    if person.region in EAST_AND_KYIV or (
        person.region in OCCUPIED_SOUTH and person.status in IN_CUSTODY
    ):
        lawyers = person.status in IN_CUSTODY
        roles.append((LOPAN, CaseRole.LEGAL_DEFENCE if lawyers else CaseRole.DOCUMENTS))
    if person.region in {"russia", "belarus"} and person.status in IN_CUSTODY:
        roles.append((QUIET_HARBOUR, CaseRole.FAMILY_SUPPORT))
    if person.region == "belarus" and not person.asylum:
        roles.append((NERIS, CaseRole.ADVOCACY))
    return roles[:2]


def role_is_public(person: Person) -> bool:
    # Behind a pseudonym, who works on the case could point to who the person is.
    return not person.legal_name


def _added(english: str, lang: str) -> str:
    """A description in one of the languages kept apart (demo_be.json,
    demo_crh.json), by its English text. Empty until it is translated: the member
    page then shows the English one (Member.description)."""
    return added().get(lang, {}).get(english, "")


def load_members() -> dict[str, Member]:
    members = {}
    for data in json.loads(MEMBERS_FILE.read_text(encoding="utf-8")):
        member = Member.objects.filter(slug=data["slug"]).first()
        if member is None:
            description = data["description"]
            member = Member(
                slug=data["slug"],
                name=data["name"],
                country=data["country"],
                activities=data["activities"],
                work_languages=data["work_languages"],
                description_uk=description["uk"],
                description_en=description["en"],
                description_ru=description["ru"],
                description_be=_added(description["en"], "be"),
                description_crh=_added(description["en"], "crh"),
                website=data["website"],
                contact_email=data["contact_email"],
                joined_on=datetime.date.fromisoformat(data["joined_on"]),
                is_public=data["is_public"],
                named_in_transparency=data["named_in_transparency"],
            )
            member.full_clean()
            member.save()
        members[member.slug] = member
    return members


def load_case_handling(members: dict[str, Member], register: PrisonerIndexPage) -> int:
    """Spread the demo cases among the members; returns how many handlings were new.
    A member that already handles a case is left with the role it has."""
    profiles = {
        page.slug: page
        for page in PrisonerPage.objects.child_of(register).only(
            "slug", "translation_key"
        )
    }
    new = 0
    for person in PEOPLE:
        profile = profiles.get(person.slug)
        if profile is None:
            continue
        for slug, role in case_roles(person):
            member = members[slug]
            if CaseHandling.objects.filter(
                member=member, case_key=profile.translation_key
            ).exists():
                continue
            handle_case(
                member=member,
                case_key=profile.translation_key,
                role=role,
                role_public=role_is_public(person),
            )
            new += 1
    return new


def load_member_staff(members: dict[str, Member]) -> list[str]:
    created = []
    for email, slug, kind, secret in DEMO_MEMBER_STAFF:
        group = Group.objects.get(
            member_staff__in=MemberStaffGroup.objects.filter(
                member=members[slug], kind=kind
            )
        )
        if ensure_demo_account(email=email, secret=secret, group=group):
            created.append(email)
    return created


def load_cosignatures(members: dict[str, Member], home: HomePage) -> int:
    """The demo co-signatures, through the service the admin uses; returns how many
    are new. One already made, or a statement gone or closed, is left alone."""
    editors = {
        slug: email
        for email, slug, kind, _secret in DEMO_MEMBER_STAFF
        if kind == StaffKind.EDITORS
    }
    new = 0
    for statement_slug, member_slug in DEMO_COSIGNATURES:
        member = members[member_slug]
        statement = (
            StatementPage.objects.descendant_of(home)
            .filter(slug=statement_slug)
            .first()
        )
        if statement is None or member_signature(statement=statement, member=member):
            continue
        editor = get_user_model().objects.get(email=editors[member_slug])
        try:
            member_cosign(statement=statement, member=member, by=editor)
        except ValidationError:
            # Closed since it was loaded, or signed meanwhile (AlreadySigned).
            continue
        new += 1
    return new


def load_network(homes: dict[str, HomePage]) -> dict:
    """The network page, the demo members with their staff groups, who handles each
    demo case, and the members' demo staff. Needs the demo register
    (prisoners.demo.load_prisoners) and statements (campaigns.demo) first; two
    members co-sign a statement. Returns what there is and what is new."""
    with transaction.atomic():
        ensure_network_pages(homes)
        members = load_members()
        for member in members.values():
            ensure_member_groups(member=member)
        register = PrisonerIndexPage.objects.child_of(homes["uk"]).get()
        new_handlings = load_case_handling(members, register)
        staff = load_member_staff(members)
        new_cosignatures = load_cosignatures(members, homes["uk"])
    return {
        "members": len(members),
        "public_members": sum(m.is_public for m in members.values()),
        "cases": CaseHandling.objects.filter(member__in=members.values())
        .values("case_key")
        .distinct()
        .count(),
        "new_handlings": new_handlings,
        "staff": staff,
        "new_cosignatures": new_cosignatures,
    }
