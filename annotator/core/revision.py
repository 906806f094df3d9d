"""``Project.revision()`` (a mixin of ``Project``): a value that changes after any commit to the
project file, by this project or by any other connection to it (a background job's, another
process's), so that a cache of reads (the window's read-ahead of the next document) can tell
cheaply (one pragma) whether it is still current."""

from __future__ import annotations

from annotator.core.project_host import ProjectHost
from annotator.store.revision import revision


class RevisionAPI(ProjectHost):
    """``revision`` of ``Project`` (see the module docstring)."""

    def revision(self) -> tuple[int, int]:
        """Equal values from two calls: nothing was committed to the file in between."""
        return revision(self._store.conn)
