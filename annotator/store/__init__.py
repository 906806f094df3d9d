"""The only package that speaks SQL: connection, pragmas, tables, migrations, backups, queries."""

from annotator.store.store import Store

__all__ = ["Store"]
