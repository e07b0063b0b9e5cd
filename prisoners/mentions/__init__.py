"""Protected names in page text: the editorial warning.

A campaign or statement that names a person whose profile is unpublished, or the real
name behind a pseudonym, undoes that profile's protection. This package finds such
names in any page and warns the editor before the page goes to review:

- `page_text`: every word a page shows, from its fields, inline items and blocks;
- `names`: whether a text names a person (whole words, any case, Cyrillic or Latin,
  Ukrainian and Russian case endings);
- `selectors`: `protected_names_in()`, which profiles are protected and by which names;
- `editor`: the warning in the page editor and the held-back submission.
"""
