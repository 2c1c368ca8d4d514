"""A matplotlib font cache written before the CJK fonts were installed is detected and repaired
(or, with no CJK font at all, explained), so Korean and Chinese labels are not drawn as boxes.

Each case runs in a fresh interpreter with its own MPLCONFIGDIR: matplotlib reads its cache
once, at import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aigovkg.analysis.fonts import SCRIPTS_FAMILY

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def python(code: str, config: Path) -> str:
    env = {**os.environ, "MPLCONFIGDIR": str(config)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def stale_cache(tmp_path: Path) -> Path:
    """A font cache as matplotlib wrote it before fonts-noto-cjk (and fonts-noto-core's
    Devanagari) were installed."""
    if not NOTO_CJK.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{NOTO_CJK} missing under CI (.ci/run installs fonts-noto-cjk)")
        pytest.skip("fonts-noto-cjk is not installed")
    config = tmp_path / "mpl"
    config.mkdir()
    cache = Path(
        python(
            "from matplotlib import font_manager as f, get_cachedir as c;"
            "print(c() + f'/fontlist-v{f.FontManager.__version__}.json')",
            config,
        )
    )
    fonts = json.loads(cache.read_text())
    hidden = ("CJK", SCRIPTS_FAMILY)  # fonts-noto-cjk's and fonts-noto-core's
    fonts["ttflist"] = [f for f in fonts["ttflist"] if not any(h in f["name"] for h in hidden)]
    cache.write_text(json.dumps(fonts))
    return config


HAS_CJK = "any(f.name.startswith('Noto Sans CJK') for f in font_manager.fontManager.ttflist)"


def test_stale_cache_is_repaired_and_persisted(stale_cache: Path) -> None:
    before, notes = python(
        "from matplotlib import font_manager\n"
        f"print({HAS_CJK})\n"
        "from aigovkg.analysis.fonts import check_fonts\n"
        "check = check_fonts()\n"
        "assert check.cjk and any('NotoSansCJK' in p for p in check.added), check\n"
        "print(check.notes())",
        stale_cache,
    ).splitlines()
    assert before == "False"  # the stale cache really hides the CJK fonts
    assert "font cache predates" in notes
    # The next process reads the repaired cache: CJK known, nothing left to add.
    after = python(
        "from matplotlib import font_manager\n"
        f"print({HAS_CJK})\n"
        "from aigovkg.analysis.fonts import check_fonts\n"
        "print(check_fonts().added)",
        stale_cache,
    ).splitlines()
    assert after == ["True", "[]"]


def test_missing_cjk_font_is_explained(stale_cache: Path) -> None:
    notes = python(
        "from aigovkg.analysis.fonts import check_fonts\n"
        "check = check_fonts(system_fonts=[])\n"
        "assert not check.cjk and not check.added\n"
        "print(check.notes())",
        stale_cache,
    )
    assert "fonts-noto-cjk" in notes and "boxes" in notes
    assert "fonts-noto-core" in notes  # Hindi and the other scripts' labels
