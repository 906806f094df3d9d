"""One exception hierarchy for everything a user can see; each message says what and where."""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base of every error the program reports to a user."""


class ProjectError(AnnotatorError):
    """The project file cannot be created, opened or migrated."""


class ProjectExistsError(ProjectError):
    """Refused to overwrite an existing project file."""


class ProjectTooNewError(ProjectError):
    """The file was written by a newer program than this one."""


class ProjectInUseError(ProjectError):
    """Another process holds the project open for writing."""


class ReadOnlyProjectError(ProjectError):
    """An edit was attempted on a project opened read-only."""


class DamagedProjectError(ProjectError):
    """The project file is damaged (SQLite's integrity check failed): it is not written to;
    the message says how to recover (a backup, an export of what is readable)."""


class DiskFullError(ProjectError):
    """The disk (or the file's size limit) is full: the edit or import was not saved, and
    everything saved before it is kept."""


class NotFoundError(AnnotatorError):
    """A document or annotation id does not exist in the project."""


class SchemaError(AnnotatorError):
    """A schema file is malformed, or a schema change would orphan annotations."""


class ValidationError(AnnotatorError):
    """An edit would break the schema or the document (bad offsets, unknown label, ...)."""


class ImportError_(AnnotatorError):
    """Input to an importer is malformed; the message names file, line and field."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f":{line}"
            where += ": "
        if field:
            message = f"{message} (field {field!r})"
        super().__init__(where + message)
        self.path = path
        self.line = line
        self.field = field


# Public alias with a friendlier name (ImportError shadows a builtin).
InputFormatError = ImportError_


class ExportError(AnnotatorError):
    """An export could not be written."""
