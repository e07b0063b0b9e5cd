"""Crimean Tatar for Django, which knows no `crh`.

`{% get_language_info %}`, `get_language_info_list`, Wagtail's locale names and the
admin's language lists read django.conf.locale.LANG_INFO, and raise KeyError for a
code missing there. HomeConfig.ready() adds it before any request or command uses it
(`home` is the first installed app). bidi/code/name/name_local as Django's own
entries, in the Latin script the site uses for crh.
"""

from django.conf.locale import LANG_INFO

CRIMEAN_TATAR = {
    "bidi": False,
    "code": "crh",
    "name": "Crimean Tatar",
    "name_local": "Qırımtatarca",
}


def add_crimean_tatar() -> None:
    LANG_INFO.setdefault("crh", CRIMEAN_TATAR)
