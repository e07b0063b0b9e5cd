"""The demo's languages, and how its texts reach the two added last.

Demo tables give each text as (uk, en, ru). Belarusian and Crimean Tatar texts live
apart, so that the tables keep their shape: JSON files next to each app's demo
loader, `demo_be.json` and `demo_crh.json`, each one object {English text:
translation}. The app's `demo_be_crh.added()` reads them (with `read_added`) into
{"be": {...}, "crh": {...}}; a missing file counts as empty. A text not translated
yet shows in English, as an untranslated Wagtail page would show its source, rather
than in a language the reader may not want.
"""

import json
from pathlib import Path

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


def read_added(folder: Path) -> Added:
    """The `demo_<lang>.json` files in `folder` for the languages not in the
    tables, as {lang: {English text: translation}}."""
    added: Added = {}
    for lang in LANGS:
        if lang in _IN_TABLES:
            continue
        path = folder / f"demo_{lang}.json"
        added[lang] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        )
    return added
