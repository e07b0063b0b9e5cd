"""Which names a page must not say, and which of them a text says.

A profile protects a person's names while it is not public (a draft, in review,
unpublished, expired or behind a view restriction): then every name it knows (title,
other spellings, legal name) is protected. A public profile under a pseudonym protects
the legal name only; its pseudonym and the pseudonym's spellings are public. Both the
stored profile and its latest revision count, so that a name added in a draft under
review, or a profile being turned into a pseudonym, is protected at once.
"""

import enum
from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Revision

from prisoners.mentions.names import NameFinder
from prisoners.models import PrisonerPage


class Protection(enum.Enum):
    """Why a name is protected: its profile is not public, or it is the legal name
    behind a public pseudonym."""

    UNPUBLISHED = "unpublished"
    PSEUDONYM = "pseudonym"


@dataclass(frozen=True)
class Mention:
    """A protected name found in a text: whose it is, as written, and why it is
    protected."""

    profile: PrisonerPage
    name: str
    found: str
    protection: Protection


@dataclass(frozen=True)
class ProtectedProfile:
    profile: PrisonerPage
    names: tuple[str, ...]
    protection: Protection


def _names(*groups) -> tuple[str, ...]:
    names = (name.strip() for group in groups for name in group if name)
    return tuple(dict.fromkeys(name for name in names if name))


def _content_names(content: dict) -> tuple[list[str], list[str]]:
    """(public names, legal name) as a revision's content records them."""
    spellings = [s.get("name", "") for s in content.get("spellings") or []]
    return [content.get("title", ""), *spellings], [content.get("legal_name", "")]


def protected_profiles(*, exclude_page=None) -> list[ProtectedProfile]:
    """Every profile that protects a name, with the names it protects."""
    profiles = PrisonerPage.objects.all()
    private_ids = set(
        profiles.filter(profiles.private_q()).values_list("pk", flat=True)
    )
    candidates = profiles.filter(
        Q(live=False)
        | Q(pk__in=private_ids)
        | Q(is_pseudonym=True)
        | Q(has_unpublished_changes=True)
    )
    if exclude_page is not None:
        # The page itself, and its translations: the same person in another language.
        if exclude_page.pk:
            candidates = candidates.exclude(pk=exclude_page.pk)
        if getattr(exclude_page, "translation_key", None):
            candidates = candidates.exclude(
                translation_key=exclude_page.translation_key
            )
    candidates = list(candidates.prefetch_related("spellings").order_by("title"))
    drafts = dict(
        Revision.objects.filter(
            pk__in=[p.latest_revision_id for p in candidates if p.latest_revision_id]
        ).values_list("pk", "content")
    )

    protected = []
    for profile in candidates:
        draft = drafts.get(profile.latest_revision_id) or {}
        public_names = [profile.title, *(s.name for s in profile.spellings.all())]
        draft_names, draft_legal = _content_names(draft)
        legal = [profile.legal_name, *draft_legal]
        if not profile.live or profile.pk in private_ids:
            names = _names(public_names, draft_names, legal)
            protection = Protection.UNPUBLISHED
        elif profile.is_pseudonym or draft.get("is_pseudonym"):
            # A draft that turns a named profile into a pseudonym protects the name
            # that is still public, before the change is approved.
            becoming = draft.get("is_pseudonym") and not profile.is_pseudonym
            names = _names(legal, public_names if becoming else [])
            protection = Protection.PSEUDONYM
        else:
            continue
        if names:
            protected.append(ProtectedProfile(profile, names, protection))
    return protected


def protected_names_in(*, text: str, exclude_page=None) -> list[Mention]:
    """The protected names that `text` says, one mention per profile; the profile
    `exclude_page` (the page being edited) and its translations are not counted."""
    if not text or not text.strip():
        return []
    finder = NameFinder(text)
    mentions = []
    for entry in protected_profiles(exclude_page=exclude_page):
        for name in entry.names:
            found = finder.find(name)
            if found:
                mentions.append(Mention(entry.profile, name, found, entry.protection))
                break
    return mentions
