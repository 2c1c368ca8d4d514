"""Figures for reports: participation heatmap, regime x obligation-type matrix, instrument
timeline (Gantt style) and Jaccard similarity heatmap, written as PNG and SVG.

matplotlib runs headless: figures are built as `Figure` objects and rendered by Agg, with no
pyplot state. Labels may be Korean, Chinese, Hindi..., so the font
list puts the Noto CJK families first (Debian package `fonts-noto-cjk`), then Noto's families for
other scripts (`fonts-noto-core`; both installed by `.ci/run`); matplotlib falls back glyph by
glyph along the list, so Latin text still uses DejaVu Sans when none is installed. (Arabic and
Hebrew glyphs are drawn, but matplotlib neither joins Arabic letters nor orders right-to-left
text: no plot label is in those scripts today.) Every title states the as-of date and the data
version.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..errors import AigovkgError
from ..version import __version__
from .data import Queryable, bilingual_labels, labels, read
from .participation import ABSENT, DECLINED, DID_NOT_SIGN, NOT_LISTED

FONTS = [
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Source Han Sans",
    # Labels in other scripts (Debian package fonts-noto-core): matplotlib takes each glyph from
    # the first family in this list that has it.
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Thai",
    "Noto Sans Ethiopic",
    "Noto Sans Hebrew",
    "Noto Sans Arabic",
    "DejaVu Sans",
]
KINDS = ("participation", "obligations", "timeline", "similarity")


def kinds(kind: str) -> list[str]:
    """The kinds a user asked for: one of KINDS, or "all"."""
    chosen = list(KINDS) if kind == "all" else [kind]
    if any(k not in KINDS for k in chosen):
        raise AigovkgError(f"unknown plot '{kind}' (use {', '.join(KINDS)} or all)")
    return chosen


PARTICIPATION_COLOURS = {
    "on the document": "#2b8a3e",
    DECLINED: "#c92a2a",
    DID_NOT_SIGN: "#f08c00",
    NOT_LISTED: "#dee2e6",
}
EVENT_MARKERS = {
    "proposed": ("o", "#868e96"),
    "reported-pending": ("o", "#868e96"),
    "passed": ("s", "#1971c2"),
    "adopted": ("s", "#1971c2"),
    "signed": ("D", "#1971c2"),
    "promulgated": ("^", "#1971c2"),
    "published": ("v", "#1971c2"),
    "entered-into-force": ("*", "#2b8a3e"),
    "applies-from": ("P", "#66a80f"),
    "amended": ("X", "#f08c00"),
    "revoked": ("X", "#c92a2a"),
    "expired": ("X", "#c92a2a"),
}


def installed_fonts() -> list[str]:
    """FONTS that matplotlib finds (at least DejaVu Sans, which it ships): a family not
    installed is left out rather than logged as missing at every figure. Not cached:
    `fonts.check_fonts` may add fonts to matplotlib's list during the process."""
    from matplotlib import font_manager

    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return [family for family in FONTS if family in names] or ["DejaVu Sans"]


@contextmanager
def style() -> Iterator[None]:
    """Fonts with CJK glyphs, and no per-run ids in SVG so outputs compare across runs."""
    # pyLODE (imported by the build) sets the root logger to DEBUG; keep matplotlib's quiet.
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    with rc_context(
        {
            # The families themselves, not "sans-serif": matplotlib falls back glyph by glyph
            # only along font.family (for a generic name it takes one font, the first found).
            "font.family": installed_fonts(),
            "axes.unicode_minus": False,
            "svg.hashsalt": "aigovkg",
            "svg.fonttype": "path",
        }
    ):
        yield


def title(text: str, as_of: date) -> str:
    return f"{text}\nas of {as_of.isoformat()} - aigovkg data {__version__}"


def participation_heatmap(table: pd.DataFrame, as_of: date) -> Figure:
    """Parties x documents; colour says on the document, declined, did not sign, or unknown.
    A cell holds a signature role (on the document) or one of the three kinds of absence."""
    keys = list(PARTICIPATION_COLOURS)
    codes = table.map(lambda s: keys.index(s) if s in ABSENT else 0)
    with style():
        fig = Figure(
            layout="constrained", figsize=(2.2 + 1.3 * len(table.columns), 1.6 + 0.28 * len(table))
        )
        ax = fig.add_subplot()
        ax.imshow(
            codes.to_numpy(dtype=float),
            cmap=ListedColormap(list(PARTICIPATION_COLOURS.values())),
            vmin=-0.5,
            vmax=len(keys) - 0.5,
            aspect="auto",
        )
        ax.set_xticks(range(len(table.columns)), [_wrap(c) for c in table.columns], fontsize=8)
        ax.set_yticks(range(len(table.index)), list(table.index), fontsize=8)
        ax.tick_params(axis="x", labelrotation=0)
        for (i, j), value in np.ndenumerate(table.to_numpy()):
            if value not in ABSENT and value != "signed":
                ax.text(j, i, value, ha="center", va="center", fontsize=6, color="white")
        handles = [Patch(color=c, label=k) for k, c in PARTICIPATION_COLOURS.items()]
        fig.legend(handles=handles, loc="outside right upper", fontsize=8)
        ax.set_title(title("Summit participation", as_of), fontsize=10)
    return fig


def obligation_matrix(table: pd.DataFrame, as_of: date) -> Figure:
    """Regimes (rows) x obligation types (columns); filled where the regime imposes the type.

    `table` holds the article references per cell (empty where none), as from
    `compare.obligation_overlap`, transposed so regimes are rows.
    """
    filled = (table != "").astype(float)
    with style():
        fig = Figure(
            layout="constrained",
            figsize=(4.0 + 0.6 * len(table.columns), 3.2 + 0.55 * len(table)),
        )
        ax = fig.add_subplot()
        ax.imshow(filled.to_numpy(), cmap=ListedColormap(["#f1f3f5", "#1971c2"]), vmin=0, vmax=1)
        ax.set_xticks(range(len(table.columns)), list(table.columns), rotation=45, ha="right")
        ax.set_yticks(range(len(table.index)), [_wrap(_shorten(r, 80), 45) for r in table.index])
        for (i, j), value in np.ndenumerate(table.to_numpy()):
            if value and value != "yes":
                count = len(str(value).split(", "))
                text = value if len(value) <= 12 else f"{count} arts."
                ax.text(j, i, text, ha="center", va="center", fontsize=6, color="white")
        handles = [
            Patch(color="#1971c2", label="imposed (articles)"),
            Patch(color="#f1f3f5", label="not recorded"),
        ]
        fig.legend(handles=handles, loc="outside right upper", fontsize=8)
        ax.set_title(title("Obligation types by regime", as_of), fontsize=10)
    return fig


def timeline_chart(
    events: pd.DataFrame, as_of: date, ending: frozenset[str], today: date | None = None
) -> Figure:
    """One bar per instrument from its first event to its end (an event of a type in `ending`,
    read from the graph by `figure`) or to the as-of date, a marker per event, and the as-of
    date and today marked."""
    today = today or date.today()
    order = events.groupby("label")["date"].min().sort_values(ascending=False).index.tolist()
    with style():
        fig = Figure(layout="constrained", figsize=(11, 1.5 + 0.5 * len(order)))
        ax = fig.add_subplot()
        for y, label in enumerate(order):
            rows = events[events["label"] == label].sort_values("date")
            start = rows["date"].min()
            ended = rows[rows["eventType"].isin(ending)]
            end = ended["date"].min() if not ended.empty else max(as_of, rows["date"].max())
            ax.barh(
                y,
                mdates.date2num(end) - mdates.date2num(start) or 1,
                left=mdates.date2num(start),
                height=0.35,
                color="#d0ebff" if ended.empty else "#ffe3e3",
            )
            for row in rows.itertuples(index=False):
                marker, colour = EVENT_MARKERS.get(row.eventType, ("o", "#495057"))
                ax.plot(mdates.date2num(row.date), y, marker=marker, color=colour, ms=7, ls="")
        ax.axvline(mdates.date2num(as_of), color="#c92a2a", ls="--", lw=1)
        if today != as_of:
            ax.axvline(mdates.date2num(today), color="#495057", ls=":", lw=1)
        ax.set_yticks(range(len(order)), [_wrap(_shorten(lbl), 60) for lbl in order], fontsize=8)
        locator = mdates.AutoDateLocator(maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        low = mdates.date2num(events["date"].min() - timedelta(days=60))
        high = mdates.date2num(max(events["date"].max(), as_of, today) + timedelta(days=60))
        ax.set_xlim(low, high)
        seen = {t for t in events["eventType"]}
        handles = [
            ax.plot([], [], marker=m, color=c, ls="", label=t)[0]
            for t, (m, c) in EVENT_MARKERS.items()
            if t in seen
        ]
        handles.append(ax.axvline(np.nan, color="#c92a2a", ls="--", lw=1, label="as of"))
        if today != as_of:
            handles.append(ax.axvline(np.nan, color="#495057", ls=":", lw=1, label="today"))
        fig.legend(handles=handles, loc="outside right upper", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(title("Instrument timeline", as_of), fontsize=10)
    return fig


def similarity_heatmap(table: pd.DataFrame, as_of: date, what: str) -> Figure:
    """A Jaccard matrix with its values printed in the cells."""
    with style():
        fig = Figure(layout="constrained", figsize=(3.0 + 1.1 * len(table), 2.5 + 0.9 * len(table)))
        ax = fig.add_subplot()
        image = ax.imshow(table.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=1)
        labels = [_wrap(c, 25) for c in table.columns]
        ax.set_xticks(range(len(table.columns)), labels, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(table.index)), labels, fontsize=8)
        for (i, j), value in np.ndenumerate(table.to_numpy(dtype=float)):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if value < 0.6 else "black")  # fmt: skip
        fig.colorbar(image, ax=ax, label="Jaccard similarity")
        ax.set_title(title(f"Jaccard similarity of {what}", as_of), fontsize=10)
    return fig


def save(fig: Figure, out_dir: Path, name: str) -> list[Path]:
    """Write `name`.png (150 dpi) and `name`.svg; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{name}.png", out_dir / f"{name}.svg"]
    with style():
        fig.savefig(paths[0], dpi=150, metadata={"Software": None})
        fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def _shorten(text: str, limit: int = 110) -> str:
    """At most `limit` characters (two wrapped lines), ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int = 18) -> str:
    """Wrap long labels on spaces so tick labels stay readable."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def figure(kg: Queryable, kind: str, as_of: date, today: date | None = None) -> Figure:
    """The figure of one kind (see KINDS) for the graph `kg`."""
    from . import compare, network, participation, status

    if kind == "participation":
        return participation_heatmap(participation.matrix(kg), as_of)
    if kind == "obligations":
        sets = read(kg, "instrument-facts")
        regimes = sorted(set(sets.loc[sets["dimension"] == "obligation types", "instrument"]))
        overlap = compare.obligation_overlap(kg, regimes).drop(columns="shared")
        names = bilingual_labels(kg)
        english = labels(kg)
        overlap.columns = [names[next(i for i in regimes if english[i] == c)] for c in overlap]
        return obligation_matrix(overlap.T, as_of)
    if kind == "timeline":
        frame = status.events(kg)
        names = bilingual_labels(kg)
        frame["label"] = frame["instrument"].map(names)
        ending = frozenset(read(kg, "ending-event-types")["eventType"])
        return timeline_chart(frame, as_of, ending, today)
    if kind == "similarity":
        return similarity_heatmap(network.similarity(kg, "documents"), as_of, "signatory sets")
    raise ValueError(f"plot kind must be one of {', '.join(KINDS)}, not {kind!r}")


def render(
    kg: Queryable, kinds: list[str], as_of: date, out_dir: Path, today: date | None = None
) -> list[Path]:
    """Write the PNG and SVG of each kind to `out_dir`; returns the paths written."""
    written: list[Path] = []
    for kind in kinds:
        written += save(figure(kg, kind, as_of, today), out_dir, kind)
    return written
