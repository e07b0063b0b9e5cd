"""Whether a text names a person.

A name is found in a text when
- all its words stand next to each other, in any order ("Сергій Петренко",
  "Петренко Сергій", "Serhii Petrenko"), or
- its surname stands alone ("Петренка засудили"), if the surname has four letters or
  more: shorter ones ("Ли", "Так") are too often ordinary words.

Words match whole (never inside a longer word) and whatever the case, hidden soft
hyphens, stress marks and spacing. A word also matches its Ukrainian and Russian case
forms: the word without its final vowel or soft sign ("Петренк", "Ковал") followed by
one of the usual case endings ("Петренка", "Петренкові", "Коваля", "Ковалем"), but
never by more letters than that ("Ковальов" is not "Коваль"). And it matches any
spelling in another script or romanisation with the same transliteration key
(`prisoners.transliteration`), so "Serhii Petrenko" finds "Сергій Петренко".

Which word is the surname is a guess, on purpose a simple one: a word with a typical
East Slavic surname ending (-енко, -ук, -ський, -ов, ...); otherwise the last word, or
the first when the name ends with a patronymic ("Петренко Сергій Іванович"). Given
names and patronymics alone are not matched: "Сергій" in a text is far more often
another Сергій than the person.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from prisoners.transliteration import word_key

MIN_STEM = 4  # letters left after the ending is cut; "Петренк", "Ковал", "Серг"
MIN_ALONE = 4  # a surname shorter than this only counts next to the other words
MIN_KEY = 3  # shorter transliteration keys collide with too many words

# Invisible characters that can sit inside a word (soft hyphen, zero-width joiners,
# stress marks) and would otherwise split or hide it.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u0300\u0301"), None
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_STEM_END = "аеєиіїоуюяыэьйaeiouy"

# Case endings of Ukrainian and Russian nouns, surnames and adjectival surnames.
_CYRILLIC_ENDINGS = (
    "а", "я", "у", "ю", "о", "е", "є", "і", "и", "ї", "ы", "ь", "й",
    "ом", "ем", "єм", "ою", "ею", "єю", "ой", "ей", "ий", "ій", "ый",
    "ія", "ію", "ії", "ієм", "ією", "ия", "ию", "ии", "ием", "ией",
    "ьо", "ья", "ью", "ьом", "ьою", "ого", "его", "ому", "ему", "им", "ым",
    "ої", "ую", "ая", "яя", "ое", "ее", "ові", "еві", "єві",
)  # fmt: skip
# The same endings as they come out in Latin transliteration, for names that were
# recorded in Latin letters but are written in a Cyrillic text (or the other way).
_LATIN_ENDINGS = (
    "a", "u", "o", "e", "i", "y", "om", "em", "oyu", "eyu", "oi", "ei", "yi",
    "iy", "ii", "ia", "iu", "ya", "yu", "iem", "ieyu", "ogo", "oho", "omu", "emu",
    "ym", "im", "ovi", "evi", "iei",
)  # fmt: skip

_PATRONYMIC = re.compile(
    r"(?:ович|евич|євич|івна|ївна|овна|евна|ична|оглу|огли|кизи"
    r"|ovych|ovich|evych|evich|ivna|ovna|evna|oglu|ogly|oğlu|qızı|kyzy)$"
)
_SURNAME_ENDING = re.compile(
    r"(?:енко|ук|юк|ський|цький|ська|цька|ский|цкий|ская|цкая|ов|ев|єв|ова|ева|єва"
    r"|enko|uk|yuk|skyi|skyy|skiy|sky|ski|ska|skaya|ov|ev|yev|ova|eva|yeva)$"
)


def clean(text: str) -> str:
    """The text with invisible characters removed and apostrophes made one."""
    normal = unicodedata.normalize("NFC", text or "")
    return normal.translate(_INVISIBLE).translate(_APOSTROPHES)


def fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=8192)
def _key(word: str) -> str:
    key = word_key(word)
    return key if len(key) >= MIN_KEY else ""


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """The spellings (folded) and transliteration keys that count as `word`."""
    folded = fold(word)
    forms = {folded}
    stem = folded.rstrip(_STEM_END)
    if len(stem) >= MIN_STEM:
        endings = _CYRILLIC_ENDINGS if _CYRILLIC.search(folded) else _LATIN_ENDINGS
        forms.update(stem + ending for ending in endings)
    keys = {key for key in map(_key, forms) if key}
    return frozenset(forms), frozenset(keys)


def name_words(name: str) -> list[str]:
    """The words of a name, initials left out."""
    return [w for w in _WORD.findall(clean(name)) if len(w) > 1]


def surname_positions(words: list[str]) -> set[int]:
    """Which of a name's words is taken for the surname (see the module docstring)."""
    folded = [fold(w) for w in words]
    if len(folded) == 1:
        return {0}
    by_ending = {
        i
        for i, w in enumerate(folded)
        if len(w) >= 5 and _SURNAME_ENDING.search(w) and not _PATRONYMIC.search(w)
    }
    if by_ending:
        return by_ending
    if len(folded) >= 3 and _PATRONYMIC.search(folded[-1]):
        return {0}
    return {len(folded) - 1}


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    folded: str
    key: str


class NameFinder:
    """A text, read once, in which any number of names can be looked for."""

    def __init__(self, text: str):
        self.text = clean(text)
        self._tokens = [
            _Token(m.start(), m.end(), fold(m.group()), _key(m.group()))
            for m in _WORD.finditer(self.text)
            if len(m.group()) > 1  # initials and one-letter words say nothing
        ]
        self._by_form: dict[str, set[int]] = {}
        self._by_key: dict[str, set[int]] = {}
        for i, token in enumerate(self._tokens):
            self._index(i, token.folded, token.key)
            if token.folded.endswith("'s"):  # English possessive: "Petrenko's"
                self._index(i, token.folded[:-2], _key(token.folded[:-2]))

    def _index(self, position: int, folded: str, key: str) -> None:
        self._by_form.setdefault(folded, set()).add(position)
        if key:
            self._by_key.setdefault(key, set()).add(position)

    def _positions(self, word: str) -> set[int]:
        forms, keys = word_forms(word)
        found: set[int] = set()
        for form in forms:
            found |= self._by_form.get(form, set())
        for key in keys:
            found |= self._by_key.get(key, set())
        return found

    def _span(self, first: int, last: int) -> str:
        return self.text[self._tokens[first].start : self._tokens[last].end]

    def find(self, name: str) -> str | None:
        """The words of the text that name `name`, as written, or None."""
        words = name_words(name)
        if not words:
            return None
        positions = [self._positions(w) for w in words]
        if len(words) > 1 and all(positions):
            phrase = self._find_phrase(positions)
            if phrase:
                return phrase
        for i in sorted(surname_positions(words)):
            if len(words[i]) >= MIN_ALONE and positions[i]:
                first = min(positions[i])
                return self._span(first, first)
        return None

    def _find_phrase(self, positions: list[set[int]]) -> str | None:
        n = len(positions)
        orders = list(itertools.permutations(range(n))) if n <= 5 else [tuple(range(n))]
        for start in sorted({p - k for p in positions[0] for k in range(n)}):
            if start < 0 or start + n > len(self._tokens):
                continue
            for order in orders:
                if all(start + slot in positions[w] for slot, w in enumerate(order)):
                    return self._span(start, start + n - 1)
        return None
