"""Finding what a row names: its register, snippets, member, the profile its
external id was imported as, and profiles or rows that look like the same person.

Everything is read once per import into dictionaries, so that a 5,000-row
register costs a handful of queries before the first row is written."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.text import slugify
from wagtail.models import Locale

from network.models import Member
from prisoners.models import (
    CriminalArticle,
    DetentionPlace,
    ImportedProfile,
    PrisonerIndexPage,
    PrisonerPage,
    Region,
)
from prisoners.transliteration import name_keys


def _normal(text: str) -> str:
    return " ".join(str(text).lower().split())


def spelling_key(spelling: str) -> frozenset[str]:
    """A spelling as the set of its words' transliteration keys: "Сергій Петренко",
    "Петренко Сергей" and "Serhii Petrenko" give the same set."""
    return frozenset(name_keys(spelling))


class SnippetIndex:
    """Snippets of one model by the words a register uses for them (slug, name or
    number), per locale, with their translations."""

    def __init__(self, objects, labels):
        self.by_label: dict[tuple[int, str], set] = defaultdict(set)
        self.by_key: dict[tuple, object] = {}
        for obj in objects:
            self.by_key[(obj.translation_key, obj.locale_id)] = obj
            for label in labels(obj):
                if label:
                    self.by_label[(obj.locale_id, _normal(label))].add(obj)
        self.any_locale: dict[str, set] = defaultdict(set)
        for (_locale, label), found in self.by_label.items():
            self.any_locale[label] |= {obj.translation_key for obj in found}

    def find(self, label: str, locale_id: int):
        """The snippet in `locale_id` (or its source when not translated yet);
        None when unknown; "ambiguous" when the label names several."""
        label = _normal(label)
        here = self.by_label.get((locale_id, label), set())
        keys = {obj.translation_key for obj in here} or self.any_locale.get(
            label, set()
        )
        if not keys:
            return None
        if len(keys) > 1:
            return "ambiguous"
        (key,) = keys
        if (key, locale_id) in self.by_key:
            return self.by_key[(key, locale_id)]
        return next(o for (k, _l), o in self.by_key.items() if k == key)


@dataclass
class Lookups:
    locales: dict[str, Locale]
    registers: dict[str, PrisonerIndexPage]
    regions: SnippetIndex
    articles: SnippetIndex
    places: SnippetIndex
    members: dict[str, Member]
    imported: dict[str, object]  # external id -> translation key
    # translation key -> every locale version's (pk, locale_id, title, pseudonym)
    profiles: dict[object, list[tuple]] = field(default_factory=dict)
    # word key -> translation keys of profiles with that word in a spelling
    words: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    profile_words: dict[object, set] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls) -> "Lookups":
        lookups = cls(
            locales={locale.language_code: locale for locale in Locale.objects.all()},
            registers={},
            regions=SnippetIndex(Region.objects.all(), lambda r: (r.slug, r.name)),
            articles=SnippetIndex(
                CriminalArticle.objects.all(), lambda a: (a.slug, a.number)
            ),
            places=SnippetIndex(DetentionPlace.objects.all(), lambda p: (p.name,)),
            members={},
            imported=dict(
                ImportedProfile.objects.values_list("external_id", "translation_key")
            ),
        )
        for register in PrisonerIndexPage.objects.select_related("locale"):
            lookups.registers.setdefault(register.locale.language_code, register)
        for member in Member.objects.all():
            lookups.members[_normal(member.name)] = member
            lookups.members[_normal(member.slug)] = member
        pages = PrisonerPage.objects.values_list(
            "pk", "translation_key", "locale_id", "title", "is_pseudonym",
            "name_search_keys",
        )  # fmt: skip
        for pk, key, locale_id, title, pseudonym, search_keys in pages:
            lookups.remember_profile(
                pk=pk, key=key, locale_id=locale_id, title=title,
                pseudonym=pseudonym, words=search_keys.split(),
            )  # fmt: skip
        return lookups

    def remember_profile(self, *, pk, key, locale_id, title, pseudonym, words):
        self.profiles.setdefault(key, []).append((pk, locale_id, title, pseudonym))
        for word in words:
            self.words[word].add(key)
            self.profile_words[key].add(word)

    def member(self, label: str) -> Member | None:
        return self.members.get(_normal(label)) or self.members.get(
            _normal(slugify(label))
        )

    def same_person(self, spellings: list[str], *, exclude=None) -> set:
        """Translation keys of profiles one of whose spellings has every word of one
        of `spellings` (two words at least, so that a shared surname is not enough).
        """
        found: set = set()
        for spelling in spellings:
            words = spelling_key(spelling)
            if len(words) < 2:
                continue
            candidates = None
            for word in words:
                keys = self.words.get(word, set())
                candidates = keys if candidates is None else candidates & keys
                if not candidates:
                    break
            found |= candidates or set()
        found.discard(exclude)
        return found
