"""Running the site: backups of its database and files, and their restore
(`manage.py backup`, `manage.py restore`; docs/operations/backups.md)."""
