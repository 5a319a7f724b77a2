"""The inlined Vega bundle is made once per version and kept, and a damaged copy is never used."""

from __future__ import annotations

import pytest

import allocsim.report.bundle as bundle


@pytest.fixture
def made(monkeypatch, tmp_path):
    """Bundles made by a stand-in for vl-convert, counted, cached under ``tmp_path``."""
    calls = []
    monkeypatch.setenv("ALLOCSIM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(bundle.vlc, "javascript_bundle", lambda vl_version: calls.append(vl_version) or
                        f"/* vega {vl_version} */ window.vegaEmbed = 1;")
    bundle.javascript_bundle.cache_clear()
    yield calls
    bundle.javascript_bundle.cache_clear()


def test_the_bundle_is_made_once_and_then_read(made):
    first = bundle.javascript_bundle("6.4")
    bundle.javascript_bundle.cache_clear()
    assert bundle.javascript_bundle("6.4") == first
    assert made == ["6.4"]
    assert "vl-convert" in bundle.bundle_path("6.4").name and "vl6.4" in bundle.bundle_path("6.4").name


def test_a_damaged_copy_is_made_again(made):
    first = bundle.javascript_bundle("6.4")
    bundle.bundle_path("6.4").write_text(first[:10], encoding="utf-8")  # cut short
    bundle.javascript_bundle.cache_clear()
    assert bundle.javascript_bundle("6.4") == first
    assert made == ["6.4", "6.4"]


def test_an_unwritable_cache_still_gives_the_bundle(made, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ALLOCSIM_CACHE", str(blocker / "cache"))
    assert bundle.javascript_bundle("6.4").startswith("/* vega 6.4 */")
