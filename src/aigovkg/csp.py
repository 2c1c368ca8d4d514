"""The one place Content-Security-Policy headers are written, for every HTML the project serves
or writes: the site's pages, the built graph views served under /viz/, and the self-contained
view files `aigovkg viz` writes (policy in a <meta> element, scripts allowed by hash).

One module so a tightening (or a mistake) shows up everywhere at once; no page may load anything
from another origin (no CDN), so pages work offline.
"""

from __future__ import annotations

import base64
import hashlib

# The site's pages: own scripts and styles only; the query editor talks to this origin only.
SITE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# The built view files when served: they inline their scripts, and must reach no network.
SERVED_VIEW = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def script_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def self_contained(*scripts: str) -> str:
    """The policy of a page opened from disk: only these inline scripts, no network at all."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(script_hash(s) for s in scripts),
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def headers(policy: str = SITE) -> dict[str, str]:
    """The security headers every HTML response carries."""
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff"}
