#!/usr/bin/env python
"""Django's command-line utility; puts `site/` on the path (see README, Layout)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
