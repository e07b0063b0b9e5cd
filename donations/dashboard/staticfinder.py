"""Serve plotly.js from our own static files, straight from the plotly package.

The Python package `plotly` ships the browser bundle it was built with
(`plotly/package_data/plotly.min.js`). This finder exposes that one file, and
nothing else of the package, as `vendor/plotly.min.js`, so that `{% static %}`,
the development server, whitenoise and `collectstatic` all find it, and the
dashboard's charts never load a script from a third party. The version always
matches the Python package that builds the figures.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"
SOURCE_NAME = "plotly.min.js"
PREFIX = "vendor"
STATIC_PATH = f"{PREFIX}/{SOURCE_NAME}"


class PlotlyFinder(BaseFinder):
    """Finds `vendor/plotly.min.js` in the installed plotly package."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PACKAGE_DATA))
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        from django.core.checks import Error

        if not (PACKAGE_DATA / SOURCE_NAME).is_file():
            return [
                Error(
                    f"plotly's bundled {SOURCE_NAME} is missing from {PACKAGE_DATA}",
                    id="donations.E001",
                )
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path != STATIC_PATH:
            return []
        match = str(PACKAGE_DATA / SOURCE_NAME)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        # collectstatic copies `SOURCE_NAME` from the storage to PREFIX/SOURCE_NAME.
        yield SOURCE_NAME, self.storage
