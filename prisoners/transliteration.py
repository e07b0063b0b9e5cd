"""Name keys: one spelling-independent form of a name, for search.

"Сергій Петренко", "Сергей Петренко", "Сяргей Пятрэнка", "Serhii Petrenko" and
"Sergei Petrenko" all become "sargi patranka": Cyrillic is romanised with one simple
table covering Ukrainian, Russian, Belarusian and Crimean Tatar letters (Crimean
Tatar Latin letters too), then the differences between romanisation systems (h/g,
y/i/j, ye/e, doubled letters, -ii/-iy/-ei endings) and between the languages are
folded away. Queries go through the same function, so any spelling finds any other.

The languages' differences folded:
- a, e and o are one vowel: Belarusian writes what it hears where Russian and
  Ukrainian write the etymology ("Сяргей"/"Сергей", "Аляксей"/"Алексей",
  "Калеснікаў"/"Колесников"), and ё/yo/e, я/e differ between spellings anyway;
- Belarusian ў and a Latin u after a vowel before a consonant are v ("Ціханоўская",
  "Tsikhanouskaya", "Тихановская");
- Belarusian ц and дз before a soft vowel are т and д ("Таццяна"/"Татьяна",
  "Дзмітрый"/"Дмитрий");
- Crimean Tatar Latin q, ñ, ğ, ç, ş, ı, c are къ, нъ, гъ, ч, ш, ы, дж ("Celâl"/
  "Джелял"), and a y between a vowel and e is only the sound of Cyrillic е after a
  vowel ("Mustafayev"/"Мустафаев").
The cost is that names differing only in those vowels share a key, which for a
search that must find people under any spelling is the right side to err on.
"""

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ў": "v", "ŭ": "v", "ñ": "n", "ğ": "g", "ı": "i", "ç": "ch", "ş": "sh", "ö": "o",
    "ü": "u", "q": "k",
}  # fmt: skip

# Applied in order on romanised, lower-case text.
_FOLDS = [
    (r"shch|sch", "Ш"),
    (r"sh", "Щ"),
    (r"ch|tch", "Ч"),
    (r"zh", "Ж"),
    (r"kh|x", "Х"),
    (r"ts|tz", "Ц"),
    (r"Ц+(?=[iye])", "t"),
    (r"dz", "d"),
    (r"h", "g"),
    (r"(?<=[aeo])u(?=[^aeiouy]|$)", "v"),
    (r"(?<=[aeiou])[yij](?=e)", ""),
    (r"(?<=[aeiou])y(?=[aeiou])", "i"),
    (r"\b(?:ye|ie|je)", "e"),
    (r"(?:yu|iu|ju)", "u"),
    (r"(?:ya|ia|ja)", "a"),
    (r"(?:yo|io|jo)", "o"),
    (r"[yj]", "i"),
    (r"(?:ii|ei|iy)\b", "i"),
    (r"[eo]", "a"),
    (r"(.)\1+", r"\1"),
]
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in _FOLDS]
_RESTORE = str.maketrans({"Ш": "sc", "Щ": "s", "Ч": "c", "Ж": "z", "Х": "x", "Ц": "c"})


# Crimean Tatar Latin c (before a vowel) is дж; elsewhere c is left for ц, as in
# scholarly romanisation ("Kravec").
_CRH_C = re.compile(r"c(?=[aeiouıöüâ])")


def romanise(text: str) -> str:
    lowered = text.lower().replace("'", "").replace("’", "").replace("ʼ", "")
    lowered = _CRH_C.sub("dzh", lowered)
    out = []
    for char in lowered:
        out.append(_CYRILLIC.get(char, char))
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_key(word: str) -> str:
    key = romanise(word)
    key = re.sub(r"[^a-z]", "", key)
    for pattern, repl in _COMPILED:
        key = pattern.sub(repl, key)
    return key.translate(_RESTORE)


def name_keys(text: str) -> list[str]:
    """The key of every word in `text`, in order, without empty ones."""
    keys = (word_key(word) for word in re.split(r"[\s\-–,.;/()]+", text))
    return [key for key in keys if key]
