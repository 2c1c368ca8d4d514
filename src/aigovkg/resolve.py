"""The one name resolver: every place a person types a name (CLI arguments, `viz --focus`,
`/compare`, `trade --partner`) goes through `resolve`, so a name means the same thing everywhere
and a miss gets the same suggestions everywhere.

A name can be a slug (`eu-ai-act`), a prefixed name (`instrument:eu-ai-act`, `country:KR`), the
full IRI, a label in any language ("AI 기본법"), an alternative label, the official title, an
identifier ("EO 14110", "32024R1689") or an ISO code ("KR"). Matching ignores case, Unicode width
and (as a second try) spaces and punctuation, so "eo14110" finds "EO 14110"; a part of a label
that only one node has ("Bletchley") is accepted too. An unknown name raises UnknownName with the
closest matches (difflib), so the user can retry without reading the data.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import unicodedata
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .errors import UnknownName
from .names import slug

if TYPE_CHECKING:  # the resolver reads a frame; importing pandas (0.4 s) is its caller's cost
    import pandas as pd

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
MIN_PART = 3
GENERIC_KIND = "entity"  # any other named node of the graph (authority, tier, class...)
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


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
    _named: list[tuple[str, str, str, str]] = field(init=False)  # (normalised, name, lang, node)
    _by_lang: dict[str, dict[str, str]] = field(init=False)  # node -> lang -> rdfs:label

    def __post_init__(self) -> None:
        self.labels, self.kinds = {}, {}
        self._exact, self._compact = defaultdict(set), defaultdict(set)
        self._named, self._by_lang = [], defaultdict(dict)
        for row in self.names.itertuples(index=False):
            node, kind = str(row.node), str(row.kind)
            lang = row.lang if isinstance(getattr(row, "lang", None), str) else ""
            self._named.append((normalise(str(row.name)), str(row.name), lang, node))
            if str(getattr(row, "property", "")) == RDFS_LABEL:
                self._by_lang[node].setdefault(lang, str(row.name))
            if self.kinds.get(node, GENERIC_KIND) == GENERIC_KIND:
                self.kinds[node] = kind  # instrument, party or summit beats the generic kind
            label = row.label if isinstance(row.label, str) else slug(node)
            self.labels.setdefault(node, label)
            parts = node.rstrip("/").split("/")
            for name in (str(row.name), node, slug(node), f"{parts[-2]}:{parts[-1]}"):
                self._exact[normalise(name)].add(node)
                self._compact[compact(name)].add(node)

    def display(self, node: str) -> str:
        """How a node is shown in messages: label and slug."""
        return f"{self.labels.get(node, slug(node))} ({slug(node)})"

    def label_in(self, node: str, lang: str) -> str:
        """A node's label in `lang`, else English, else the label any surface shows."""
        labels = self._by_lang.get(node, {})
        return labels.get(lang) or labels.get("en") or self.labels.get(node, slug(node))

    def label_only_in(self, node: str, lang: str) -> str | None:
        """A node's label in `lang`, None when it has none (the caller keeps its own text)."""
        return self._by_lang.get(node, {}).get(lang)

    def search(self, text: str, limit: int = 50) -> list[tuple[str, str, str]]:
        """Nodes whose names (in any language) match `text`: (node, matched name, its
        language), best first: the whole name, then the name without spaces or punctuation,
        then a name starting with it, then a name containing it; instruments, parties and
        summits before other nodes within each."""
        key, short = normalise(text), compact(text)
        if not key:
            return []
        best: dict[str, tuple[tuple[int, bool, str], str, str]] = {}
        for normalised, name, lang, node in self._named:
            if normalised == key:
                score = 0
            elif short and compact(name) == short:
                score = 1
            elif normalised.startswith(key):
                score = 2
            elif key in normalised:
                score = 3
            else:
                continue
            rank = (score, self.kinds.get(node) == GENERIC_KIND, normalised)
            if node not in best or rank < best[node][0]:
                best[node] = (rank, name, lang)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], item[0]))
        return [(node, name, lang) for node, (_, name, lang) in ordered[:limit]]

    def _of_kind(self, nodes: set[str], kind: str | None) -> set[str]:
        return {n for n in nodes if kind is None or self.kinds.get(n) == kind}

    def _primary(self, nodes: set[str]) -> set[str]:
        """Among several matches, the instruments, parties and summits (what people name)."""
        primary = {n for n in nodes if self.kinds.get(n) != GENERIC_KIND}
        return primary or nodes

    def resolve(self, name: str, kind: str | None = None) -> str:
        """The IRI of the one node of `kind` ("instrument", "party", "summit"; None: any named
        node, an instrument, party or summit first) called `name`."""
        what = kind or "name"
        key = normalise(name)
        steps = [self._exact.get(key, set()), self._compact.get(compact(name), set())]
        if len(key) >= MIN_PART:  # a part of a label that only one node has ("Bletchley")
            steps.append({n for k, nodes in self._exact.items() if key in k for n in nodes})
        for candidates in steps:
            found = self._primary(self._of_kind(candidates, kind))
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                raise UnknownName(name, what, sorted(map(self.display, found)), ambiguous=True)
        raise UnknownName(name, what, self.suggest(name, kind))

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        """The closest known names of that kind, shown with the node they name."""
        keys = [k for k, nodes in self._exact.items() if self._of_kind(nodes, kind)]
        close = difflib.get_close_matches(normalise(name), keys, n=n * 3, cutoff=0.4)
        nodes: list[str] = []
        for key in close:
            nodes.extend(n for n in sorted(self._of_kind(self._exact[key], kind)) if n not in nodes)
        # Instruments, parties and summits before other named nodes, closeness kept within each.
        nodes.sort(key=lambda node: self.kinds.get(node) == GENERIC_KIND)
        return [self.display(node) for node in nodes[:n]]


_RESOLVERS: weakref.WeakKeyDictionary[Any, Resolver] = weakref.WeakKeyDictionary()


def resolver(kg: NamedQueries) -> Resolver:
    """The resolver over every named entity of the graph, built once per graph (a graph's
    answers do not change; indexing two thousand names for every name typed did)."""
    try:
        return _RESOLVERS[kg]
    except (KeyError, TypeError):
        pass
    found = Resolver(kg.frame("app", "names"))
    with contextlib.suppress(TypeError):  # a graph object that cannot be weakly referenced
        _RESOLVERS[kg] = found
    return found


def resolve(kg: NamedQueries, name: str, kind: str | None = None) -> str:
    """Shortcut: the IRI named `name` in the graph `kg`."""
    return resolver(kg).resolve(name, kind)


class NamedQueries(Protocol):
    """What the resolver needs: a graph that answers the project's named queries as frames."""

    def frame(self, kind: str, query_id: str) -> pd.DataFrame: ...
