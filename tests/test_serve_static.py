"""`zhijia serve` collects the static files only when their sources changed since the last
collection (collectstatic hashes and compresses every file again, seconds at every start)."""

from __future__ import annotations

import os

import pytest

from zhijia import cli


@pytest.fixture
def one_source(settings, tmp_path):
    """A static tree of one file, collected by the manifest storage into tmp_path/static."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "site.css").write_text("body { color: black; }")
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    return source / "site.css"


def _collected(tmp_path) -> set[str]:
    return {p.name for p in (tmp_path / "static").iterdir()}


def test_collects_once_then_again_only_when_a_source_changed(one_source, tmp_path):
    cli._collect_static()
    first = _collected(tmp_path)
    assert "staticfiles.json" in first
    assert any(name.startswith("site.") and name != "site.css" for name in first)
    assert (tmp_path / "static.collected-from").exists(), "the stamp sits beside, not inside"

    # Unchanged sources: nothing is collected again (a file removed from the copy stays away).
    hashed = next(n for n in first if n.startswith("site.") and n != "site.css")
    (tmp_path / "static" / hashed).unlink()
    cli._collect_static()
    assert hashed not in _collected(tmp_path)

    # A changed source is collected again, under its new hash.
    one_source.write_text("body { color: red; }")
    stat = one_source.stat()
    os.utime(one_source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    cli._collect_static()
    again = _collected(tmp_path)
    assert len([n for n in again if n.startswith("site.") and n != "site.css"]) == 1
    assert hashed not in again


def test_collects_again_when_the_manifest_is_missing(one_source, tmp_path):
    cli._collect_static()
    (tmp_path / "static" / "staticfiles.json").unlink()
    cli._collect_static()
    assert "staticfiles.json" in _collected(tmp_path)
