"""The server survives its package being reinstalled under it (`pip install -e .` while serving).

A reinstall removes the package's files and writes them again. The server runs from a copy
of the package here; its templates directory is removed and written back changed, as pip does,
and every page keeps answering with the templates of the code that is running.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import aigovkg

from .conftest import Server, start_server, stop_server

PAGES = ("/", "/query", "/download", "/id/instrument/eu-ai-act")


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    source = Path(aigovkg.__file__).parent
    target = tmp_path / "site" / "aigovkg"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def copied_server(
    package_copy: Path, served_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Server]:
    monkeypatch.setenv("PYTHONPATH", str(package_copy.parent))
    running = start_server(served_home, tmp_path / "server.log", "--workers", "2", "--rate", "0")
    yield running
    stop_server(running)


def get_all(server: Server) -> dict[str, tuple[int, str]]:
    with httpx.Client(timeout=30) as client:
        answers = {}
        for path in PAGES:
            response = client.get(server.url(path), headers={"Accept": "text/html"})
            answers[path] = (response.status_code, response.text)
        return answers


def test_pages_survive_a_reinstall(copied_server: Server, package_copy: Path) -> None:
    before = get_all(copied_server)
    assert {path: status for path, (status, _) in before.items()} == dict.fromkeys(PAGES, 200)
    templates = package_copy / "server" / "templates"
    saved = {p.name: p.read_text(encoding="utf-8") for p in templates.iterdir()}
    shutil.rmtree(templates)  # pip removes the old files first...
    during = get_all(copied_server)
    assert {path: status for path, (status, _) in during.items()} == dict.fromkeys(PAGES, 200)
    templates.mkdir()  # ...then writes the new version's
    for name, text in saved.items():
        (templates / name).write_text(text.replace("</body>", "<!-- reinstalled --></body>"))
    after = get_all(copied_server)
    for path in PAGES:
        status, text = after[path]
        assert status == 200, path
        assert "reinstalled" not in text  # still the running code's own templates
    assert copied_server.alive()


STATIC = ("/static/site.css", "/static/query.js", "/static/vendor/yasgui/yasgui.min.js")


def test_static_files_survive_a_reinstall(copied_server: Server, package_copy: Path) -> None:
    """The stylesheet and the editor's scripts are read at start-up: removing the package's
    static directory (as pip does) leaves them served, with the same bytes and ETag."""
    static = package_copy / "server" / "static"
    with httpx.Client(timeout=30) as client:
        before = {path: client.get(copied_server.url(path)) for path in STATIC}
        for path, response in before.items():
            assert response.status_code == 200, path
            assert response.content == (static / path.removeprefix("/static/")).read_bytes()
            assert response.headers["etag"] and response.headers["cache-control"]
        assert before["/static/site.css"].headers["content-type"].startswith("text/css")
        shutil.rmtree(static)
        for path in STATIC:
            during = client.get(copied_server.url(path))
            assert during.status_code == 200, path
            assert during.content == before[path].content
            assert during.headers["etag"] == before[path].headers["etag"]
            again = client.get(
                copied_server.url(path), headers={"If-None-Match": during.headers["etag"]}
            )
            assert again.status_code == 304 and again.content == b""
        assert client.get(copied_server.url("/static/nothing.css")).status_code == 404
    assert copied_server.alive()
