"""Author names as people type them ("Vinyals", "oriol vinyals", "Ilya"), and their papers."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from bot.core.catalogue import Catalogue, Paper
from bot.core.text import has_cjk, normalise


def author_keys(author: str) -> list[str]:
    """Compact look-up keys of an author's name: the full name, then (for two or more words)
    the name without middle initials and the surname alone."""
    parts = normalise(author).split()
    keys = ["".join(parts)]
    if len(parts) >= 2:
        keys.append(parts[0] + parts[-1])  # without middle initials
        keys.append(parts[-1])  # surname alone
    return keys


class AuthorIndex:
    """Finds an author by full name, surname or alias, and the papers they wrote.

    Args:
        catalogue: the loaded catalogue (authors of every paper, and author aliases).
    """

    def __init__(self, catalogue: Catalogue) -> None:
        # key -> the author's name as the catalogue writes it; the first paper wins a shared
        # surname, an alias always wins.
        self._names: dict[str, str] = {}
        for paper in catalogue:
            for author in paper.authors:
                if "et al" in author:
                    continue
                for key in author_keys(author):
                    self._names.setdefault(key, author)
        for author, aliases in catalogue.author_aliases.items():
            for alias in aliases:
                self._names[normalise(alias).replace(" ", "")] = author
        self._keys = list(self._names)

    def find(self, name: str) -> str | None:
        """Return the canonical author name for ``name`` (full name, surname or alias; typos
        of 5+ letters are forgiven at ``fuzz.ratio`` >= 88), or None."""
        key = normalise(name).replace(" ", "")
        if not key:
            return None
        if key in self._names:
            return self._names[key]
        if len(key) >= 5:
            found = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=88)
            if found is not None:
                return self._names[found[0]]
        return None

    def is_name(self, text: str) -> bool:
        """True when ``text`` is exactly an author's name, surname or alias of five or more
        letters (or in Chinese): a bare "karpathy", not a short word like "he"."""
        key = normalise(text).replace(" ", "")
        return key in self._names and (len(key) >= 5 or has_cjk(key))

    def papers_by(self, author: str, papers: Iterable[Paper]) -> list[Paper]:
        """The papers among ``papers`` (order kept) with ``author`` (a canonical name, from
        :meth:`find`) among their authors, by full name or by name without middle initials."""
        return [
            p
            for p in papers
            if any(self._names.get(k) == author for a in p.authors for k in author_keys(a)[:2])
        ]
