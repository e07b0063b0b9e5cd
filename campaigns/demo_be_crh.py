"""Belarusian and Crimean Tatar texts of this app's demo, by English text, from
demo_be.json and demo_crh.json next to this file (see home.demo_languages)."""

from functools import cache
from pathlib import Path

from home.demo_languages import Added, read_added


@cache
def added() -> Added:
    return read_added(Path(__file__).parent)
