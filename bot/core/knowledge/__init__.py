"""The one place that reads ``knowledge/*.yaml`` (libyaml), validates it (pydantic) and builds
the :class:`~bot.core.catalogue.Catalogue`.

Files of the knowledge directory:

- ``topics.yaml``, ``lists.yaml``, ``papers/*.yaml`` (read in name order): required.
- ``authors.yaml``, ``decoys.yaml``: optional.
- ``videos.yaml`` (``videos: {paper_id: [video, ...]}``), ``relations.yaml``
  (``builds_on: {paper_id: [earlier_id, ...]}``) and ``contributions.yaml``
  (``contributions: {paper_id: {en: [...], zh: [...]}}``): optional; a missing file means no
  videos, relations or contributions. Whether that content is complete is reported by
  :func:`completeness_problems`, not by the load.

Errors are :class:`CatalogueError`, naming file, entry and field. ``schema`` holds the
pydantic models, ``loader`` the reading and the checks across files.
"""

from bot.core.catalogue import CatalogueError
from bot.core.knowledge.loader import completeness_problems, default_knowledge_dir, load_catalogue

__all__ = ["CatalogueError", "completeness_problems", "default_knowledge_dir", "load_catalogue"]
