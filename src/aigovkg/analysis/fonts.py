"""Make sure matplotlib knows the CJK fonts the plots ask for, or say why it cannot.

matplotlib reads its font list from a cache file written the first time it ran. Fonts
installed later (`fonts-noto-cjk` after a first plot, a CI image built in layers) are not in
it, and Korean and Chinese labels come out as boxes with a warning per glyph and no hint why.
`check_fonts` compares the fonts on the system with the cached list, adds the missing ones
and rewrites the cache; when no CJK font is installed at all it says which package to install.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CJK_FAMILIES = ("Noto Sans CJK", "Source Han Sans")
CJK_PACKAGE = "fonts-noto-cjk"
# Labels beside English in other scripts (Hindi first among the data's); the family stands for
# the package, which also holds Noto's Bengali, Thai, Ethiopic, Hebrew and Arabic.
SCRIPTS_FAMILY = "Noto Sans Devanagari"
SCRIPTS_PACKAGE = "fonts-noto-core"


@dataclass
class FontCheck:
    """What check_fonts found: fonts it added to a stale cache, and whether CJK is covered."""

    added: list[str] = field(default_factory=list)
    cache_file: Path | None = None
    cjk: bool = False
    scripts: bool = False

    def notes(self) -> list[str]:
        """Plain sentences for the user (the CLI writes them to stderr)."""
        notes = []
        if self.added:
            notes.append(
                f"matplotlib's font cache predates {len(self.added)} installed font file(s); "
                f"added them and rewrote {self.cache_file}"
            )
        if not self.cjk:
            notes.append(
                "no CJK font is installed: Korean and Chinese labels will be drawn as boxes "
                f"(install the Debian package {CJK_PACKAGE})"
            )
        if not self.scripts:
            notes.append(
                f"no {SCRIPTS_FAMILY} font is installed: Hindi, Bengali, Thai... labels will be "
                f"drawn as boxes (install the Debian package {SCRIPTS_PACKAGE})"
            )
        return notes


def check_fonts(system_fonts: list[str] | None = None) -> FontCheck:
    """Add installed fonts missing from matplotlib's cached list; persist the repaired list."""
    from matplotlib import font_manager, get_cachedir

    manager = font_manager.fontManager
    known = {str(Path(f.fname).resolve()) for f in manager.ttflist}
    installed = font_manager.findSystemFonts() if system_fonts is None else system_fonts
    check = FontCheck()
    for path in sorted(installed):
        if str(Path(path).resolve()) in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read: skip it
            continue
        check.added.append(path)
    if check.added:
        # The file matplotlib reads at import (font_manager._load_fontmanager names it so).
        name = f"fontlist-v{font_manager.FontManager.__version__}.json"
        check.cache_file = Path(get_cachedir()) / name
        font_manager.json_dump(manager, check.cache_file)
    check.cjk = any(f.name.startswith(CJK_FAMILIES) for f in manager.ttflist)
    check.scripts = any(f.name == SCRIPTS_FAMILY for f in manager.ttflist)
    return check
