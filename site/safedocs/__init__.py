"""Documents that cannot expose anyone: served to the public only while a live page
links them, and stored under random file names."""
