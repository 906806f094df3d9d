"""Team work: per-annotator work packages made from a project, and merging them back.

``assign`` writes one project file per annotator (blind: no one else's annotations);
``merge`` takes each annotator's set back into the project it came from, all or nothing.
"""

from annotator.team.assign import AssignReport, assign
from annotator.team.merge import MergeReport, merge

__all__ = ["AssignReport", "MergeReport", "assign", "merge"]
