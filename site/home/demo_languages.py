"""The demo's languages, and how its texts reach the two added last.

Demo tables give each text as (uk, en, ru). Belarusian and Crimean Tatar texts live
apart, in each app's `demo_be_crh` module: {"be": {English text: Belarusian}, "crh":
{English text: Crimean Tatar}}, so that the tables keep their shape. A text not
translated yet shows in English, as an untranslated Wagtail page would show its
source, rather than in a language the reader may not want.
"""

LANGS = ("uk", "en", "ru", "be", "crh")
TRANSLATIONS = LANGS[1:]  # copies of the Ukrainian pages
_IN_TABLES = ("uk", "en", "ru")

Added = dict[str, dict[str, str]]


def demo_text(texts: tuple[str, ...] | None, lang: str, added: Added) -> str:
    """`texts` (uk, en, ru) in `lang`."""
    if not texts:
        return ""
    if lang in _IN_TABLES:
        return texts[_IN_TABLES.index(lang)]
    english = texts[1]
    return added.get(lang, {}).get(english, english)
