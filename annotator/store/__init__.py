"""The only package that speaks SQL: the project file behind the ``Project`` facade.

- ``store``: ``Store``, an open project (opening rules, transactions, snapshots, rows, queries)
- ``connection``: the quoted ``file:`` URI, pragmas, project and writability checks
- ``migrations``: the format as named sqlite-utils ``Migrations`` steps, backup, adoption
- ``tables``: what each step creates (tables, indexes, FTS5 index, browsing views)
- ``search``: corpus search, the FTS5 index narrowing an exact substring scan
- ``integrity``: damage (``quick_check``) and full-disk detection, with their messages
- ``lock``: the writer lock on the database file itself
- ``walsync``: flushing the write-ahead log off the caller's thread
- ``rows``: conversions between core dataclasses and table rows

docs/project_file.md describes the file for people.
"""

from annotator.store.store import Store

__all__ = ["Store"]
