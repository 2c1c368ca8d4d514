"""Naming instruments, parties and summits the way analysts do.

A name can be a slug (`eu-ai-act`), a prefixed name (`instrument:eu-ai-act`, `country:KR`), the
full IRI, a label in any language ("AI 기본법"), an alternative label, the official title, an
identifier ("EO 14110", "32024R1689") or an ISO code ("KR"). Matching ignores case, Unicode width
and (as a second try) spaces and punctuation, so "eo14110" finds "EO 14110"; a part of a label
that only one node has ("Bletchley") is accepted too. An unknown name raises UnknownName with the
closest matches (difflib), so the user can retry without reading the data.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..errors import UnknownName
from .data import Queryable, read, slug

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
MIN_PART = 3


def normalise(text: str) -> str:
    """Case-, width- and whitespace-insensitive form of a name."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def compact(text: str) -> str:
    """The normalised name without spaces or punctuation ("EO 14110" -> "eo14110")."""
    return _NON_WORD.sub("", normalise(text))


@dataclass
class Resolver:
    """Index from every known name to the nodes it may denote, per kind."""

    names: pd.DataFrame
    labels: dict[str, str] = field(init=False)
    kinds: dict[str, str] = field(init=False)
    _exact: dict[str, set[str]] = field(init=False)
    _compact: dict[str, set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.labels, self.kinds = {}, {}
        self._exact, self._compact = defaultdict(set), defaultdict(set)
        for row in self.names.itertuples(index=False):
            node, kind = str(row.node), str(row.kind)
            self.kinds[node] = kind
            label = row.label if isinstance(row.label, str) else slug(node)
            self.labels.setdefault(node, label)
            parts = node.rstrip("/").split("/")
            for name in (str(row.name), node, slug(node), f"{parts[-2]}:{parts[-1]}"):
                self._exact[normalise(name)].add(node)
                self._compact[compact(name)].add(node)

    def display(self, node: str) -> str:
        """How a node is shown in messages: label and slug."""
        return f"{self.labels.get(node, slug(node))} ({slug(node)})"

    def _of_kind(self, nodes: set[str], kind: str | None) -> set[str]:
        return {n for n in nodes if kind is None or self.kinds.get(n) == kind}

    def resolve(self, name: str, kind: str | None = None) -> str:
        """The IRI of the one node of `kind` ("instrument", "party", "summit") called `name`."""
        what = kind or "name"
        for index, key in ((self._exact, normalise(name)), (self._compact, compact(name))):
            found = self._of_kind(index.get(key, set()), kind)
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                raise UnknownName(name, what, sorted(map(self.display, found)), ambiguous=True)
        key = normalise(name)
        if len(key) >= MIN_PART:
            found = self._of_kind(
                {n for k, nodes in self._exact.items() if key in k for n in nodes}, kind
            )
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                raise UnknownName(name, what, sorted(map(self.display, found)), ambiguous=True)
        raise UnknownName(name, what, self.suggest(name, kind))

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        """The closest known names of that kind, shown with the node they name."""
        keys = [k for k, nodes in self._exact.items() if self._of_kind(nodes, kind)]
        close = difflib.get_close_matches(normalise(name), keys, n=n * 3, cutoff=0.4)
        shown: list[str] = []
        for key in close:
            for node in sorted(self._of_kind(self._exact[key], kind)):
                text = self.display(node)
                if text not in shown:
                    shown.append(text)
        return shown[:n]


def resolver(kg: Queryable) -> Resolver:
    """The resolver over every instrument, party and summit of the graph (cached per graph)."""
    cached = kg.__dict__.get("_resolver")
    if cached is None:
        cached = Resolver(read(kg, "names"))
        kg.__dict__["_resolver"] = cached
    return cached


def resolve(kg: Queryable, name: str, kind: str | None = None) -> str:
    """Shortcut: the IRI named `name` in the graph `kg`."""
    return resolver(kg).resolve(name, kind)
