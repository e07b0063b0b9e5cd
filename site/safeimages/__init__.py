"""Images that cannot expose anyone: metadata stripped on upload, files served only
to staff, and renditions served publicly only while a live page shows them."""
