"""Random names for stored files.

An upload's own name often names the person ("ivan_petrenko_portrait.jpg"), and it
would end up in every URL and on disk; only the extension is kept, so that storage
and browsers still know the type.
"""

import os
import re
import secrets


def random_file_name(filename: str) -> str:
    """A random name with the extension of `filename` (lower case), and no folder."""
    extension = os.path.splitext(os.path.basename(filename))[1].lower()
    # Only a plain extension: anything else could carry part of the name again.
    if not extension[1:].isalnum() or len(extension) > 10:
        extension = ""
    return secrets.token_hex(16) + extension


_RANDOM_NAME = re.compile(r"^[0-9a-f]{32}(\.[0-9a-z]{1,10})?$")


def is_random_name(name: str) -> bool:
    return bool(_RANDOM_NAME.match(os.path.basename(name)))


def move_to_random_name(storage, name: str) -> str | None:
    """Store the file `name` again under a random name in the same folder and delete
    it; the new name, or None when storage has no such file. For files stored
    before names were random (see the data migrations)."""
    if not storage.exists(name):
        return None
    target = os.path.join(os.path.dirname(name), random_file_name(name))
    with storage.open(name, "rb") as stored:
        new_name = storage.save(target, stored)
    storage.delete(name)
    return new_name
