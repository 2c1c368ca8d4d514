"""The front-end sources in viz/: template, CSS, controls, and the vendored vis-network bundle.

They are read from the source tree (the checkout's viz/, or the copy shipped in the package) and
inlined into every page, so a page opened from file:// needs no network at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import AigovkgError
from ..sources import SourceTree

VIS_NETWORK_VERSION = "10.1.5"
VIS_NETWORK = Path("vendor") / "vis-network" / "vis-network.min.js"
_SOURCE_MAP = re.compile(r"//# sourceMappingURL=\S+\s*$")


@dataclass(frozen=True)
class Assets:
    """The texts a page inlines."""

    template: str
    css: str
    app_js: str
    vis_js: str


def viz_dir(tree: SourceTree) -> Path:
    """Where the front-end sources live: <root>/viz (a checkout), else the copy shipped in the
    package, else the checkout this module runs from (a copied tree without viz/)."""
    candidates = [
        tree.root / "viz",
        Path(str(resources.files("aigovkg"))) / "_sources" / "viz",
        Path(__file__).resolve().parents[3] / "viz",
    ]
    for candidate in candidates:
        if (candidate / "template.html").is_file():
            return candidate
    return candidates[0]


def inline_script(text: str, name: str) -> str:
    """A script ready to sit inside <script>...</script>: no source-map fetch, no early close."""
    text = _SOURCE_MAP.sub("", text.rstrip()) + "\n"
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise AigovkgError(f"{name} contains '</script' or '<!--' and cannot be inlined")
    return text


def load_assets(tree: SourceTree) -> Assets:
    """Read the template, CSS and scripts once per run."""
    base = viz_dir(tree)
    try:
        return Assets(
            template=(base / "template.html").read_text(encoding="utf-8"),
            css=(base / "viz.css").read_text(encoding="utf-8"),
            app_js=inline_script((base / "viz.js").read_text(encoding="utf-8"), "viz/viz.js"),
            vis_js=inline_script(
                (base / VIS_NETWORK).read_text(encoding="utf-8"), str(VIS_NETWORK)
            ),
        )
    except FileNotFoundError as exc:
        raise AigovkgError(f"visualisation assets missing: {exc.filename}") from exc
