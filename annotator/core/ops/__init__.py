"""The edit operations behind the ``Project`` facade, one module per kind of annotation.

Each module holds an ``EditOps`` subclass that the Project builds once with itself, its store
and its recorder; the Project's edit methods are one-line calls into them. An operation checks
its input against the schema and the rows it reads, then writes inside ``Project.compound`` and
records every row it changes, so it is one transaction and one undo step.
"""

from annotator.core.ops.chains import ChainOps
from annotator.core.ops.fragments import FragmentOps

__all__ = ["ChainOps", "FragmentOps"]  # the Project's API mixins
