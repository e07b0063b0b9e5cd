"""The columns of a register as coalitions keep them, and how each is read.

Headers are matched without regard to case, spaces or dashes, and a few common
alternatives are accepted ("name (uk)", "id", "organisation"), so that a register
exported from a spreadsheet imports without renaming its columns."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column(
        "external_id",
        _("The register's own id of the person. Re-importing updates that profile."),
        ("id", "register_id", "externalid"),
        required=True,
    ),
    Column("name_uk", _("Name in Ukrainian."), ("name_ua", "name (uk)", "ім'я")),
    Column("name_ru", _("Name in Russian."), ("name (ru)",)),
    Column("name_en", _("Name in English."), ("name (en)", "name")),
    Column(
        "name_latin",
        _("Other Latin spellings (passport, Crimean Tatar), separated by “;”."),
        ("latin", "name (latin)", "other_spellings"),
    ),
    Column(
        "language",
        _("Register the profile is drafted in: uk, en or ru (uk if empty)."),
        ("locale", "lang"),
    ),
    Column(
        "status",
        _(
            "pretrial, sentenced, house_arrest, released, exchanged, deceased, "
            "disappeared or wanted_abroad (or the label in the admin)."
        ),
        required=True,
    ),
    Column("region", _("Home region: its slug or name."), ("home_region",)),
    Column(
        "articles",
        _("Criminal code articles: slugs or numbers, separated by “;”."),
        ("article", "criminal_articles"),
    ),
    Column(
        "detained_on",
        _("Date of detention, YYYY-MM-DD or DD.MM.YYYY."),
        ("detention_date", "detained"),
    ),
    Column(
        "sentenced_on",
        _("Date of the verdict (becomes a timeline entry)."),
        ("sentence_date", "verdict_date"),
    ),
    Column("sentence_years", _("Sentence in years, e.g. 7.5."), ("sentence",)),
    Column("released_on", _("Date of release."), ("release_date",)),
    Column(
        "detention_place",
        _("Place of detention: its name as in the register's snippets."),
        ("place", "prison"),
    ),
    Column(
        "member",
        _("The member organisation handling the case: its name or address (slug)."),
        ("organisation", "organization", "handled_by"),
    ),
)
KEYS = tuple(column.key for column in COLUMNS)
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
NAME_COLUMNS = ("name_uk", "name_ru", "name_en", "name_latin")
# Which name becomes the title in each register, in order of preference.
TITLE_ORDER = {
    "uk": ("name_uk", "name_en", "name_ru"),
    "en": ("name_en", "name_uk", "name_ru"),
    "ru": ("name_ru", "name_uk", "name_en"),
}
# Which spelling script each name column is kept as.
SCRIPTS = {"name_uk": "uk", "name_ru": "ru", "name_en": "latin", "name_latin": "latin"}


def _normal(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())


_BY_HEADER = {
    _normal(name): column.key
    for column in COLUMNS
    for name in (column.key, *column.aliases)
}


def column_for(header: str) -> str | None:
    """The column key a file's header stands for, or None for a column we ignore."""
    return _BY_HEADER.get(_normal(header))
