"""Each plot is written as PNG and SVG, has the expected size and is not blank."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from aigovkg.analysis import plots
from aigovkg.api import KnowledgeGraph


@pytest.fixture(scope="module")
def written(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("plots")
    paths = plots.render(kg, list(plots.KINDS), date(2026, 1, 22), out, today=date(2026, 6, 1))
    return {p.name: p for p in paths}


@pytest.mark.parametrize("kind", plots.KINDS)
def test_png_size_and_not_blank(kg: KnowledgeGraph, written: dict[str, Path], kind: str) -> None:
    figure = plots.figure(kg, kind, date(2026, 1, 22), today=date(2026, 6, 1))
    width, height = (figure.get_size_inches() * 150).round().astype(int)
    pixels = imread(written[f"{kind}.png"])
    assert pixels.shape[1] == pytest.approx(width, abs=2)
    assert pixels.shape[0] == pytest.approx(height, abs=2)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 300
    assert float(np.var(pixels[..., :3])) > 0.01, "the image is not blank"


@pytest.mark.parametrize("kind", plots.KINDS)
def test_svg_written(written: dict[str, Path], kind: str) -> None:
    text = written[f"{kind}.svg"].read_text(encoding="utf-8")
    assert "<svg" in text and len(text) > 10_000


def test_titles_state_date_and_version(kg: KnowledgeGraph) -> None:
    from aigovkg import __version__

    figure = plots.figure(kg, "similarity", date(2026, 1, 22))
    title = figure.axes[0].get_title()
    assert "as of 2026-01-22" in title and __version__ in title


def test_cjk_labels_have_a_font(kg: KnowledgeGraph) -> None:
    """Korean and Chinese labels render with a font that has their glyphs (fonts-noto-cjk)."""
    from matplotlib import font_manager

    figure = plots.figure(kg, "timeline", date(2026, 1, 22))
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert any("기본법" in label for label in labels)
    with plots.style():
        font = font_manager.findfont(font_manager.FontProperties(family=plots.FONTS[:4]))
    if "CJK" not in font:
        pytest.skip("no Noto CJK font installed (the Debian package fonts-noto-cjk)")
    assert "CJK" in font


def test_unknown_kind(kg: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="plot kind"):
        plots.figure(kg, "pie", date(2026, 1, 22))


@pytest.mark.parametrize("kind", plots.KINDS)
def test_every_label_glyph_has_a_font(kg: KnowledgeGraph, kind: str) -> None:
    """No box for a missing glyph: the labels (Hindi, Korean, Chinese... beside English in
    the timeline) are drawn with a font that has every character. matplotlib warns once per
    glyph no font in the list has; drawing the figure here turns that warning into a failure."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from aigovkg.analysis.fonts import check_fonts

    check = check_fonts()  # as `aigovkg plot` does: fonts installed after the cache was written
    if not (check.cjk and check.scripts):
        message = "; ".join(check.notes())
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"under CI (.ci/run installs the fonts): {message}")
        pytest.skip(message)
    figure = plots.figure(kg, kind, date(2026, 1, 22))
    with plots.style(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FigureCanvasAgg(figure).draw()
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    assert not missing, missing[:5]
