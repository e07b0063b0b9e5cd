"""Date and number formats for the languages Django has none for (FORMAT_MODULE_PATH).

Django ships no formats for Belarusian (be) nor knows Crimean Tatar (crh); every
other language keeps Django's own (django/conf/locale/<lang>/formats.py).
"""
