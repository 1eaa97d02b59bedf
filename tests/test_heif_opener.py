"""HEIC is read with pillow-heif, or with pi-heif (the desktop bundle's decode-only twin)."""

from __future__ import annotations

import importlib
import types

from footlog.imaging import photo_io


def _only(available: dict[str, types.SimpleNamespace]):
    real = importlib.import_module

    def import_module(name: str, *args, **kwargs):
        if name in ("pillow_heif", "pi_heif"):
            if name not in available:
                raise ImportError(name)
            return available[name]
        return real(name, *args, **kwargs)

    return import_module


def _module(name: str, registered: list[str]) -> types.SimpleNamespace:
    return types.SimpleNamespace(register_heif_opener=lambda: registered.append(name))


def test_pi_heif_serves_when_pillow_heif_is_absent(monkeypatch) -> None:
    registered: list[str] = []
    twin = _module("pi_heif", registered)
    monkeypatch.setattr(photo_io.importlib, "import_module", _only({"pi_heif": twin}))
    assert photo_io._heif_opener() is twin and registered == ["pi_heif"]


def test_pillow_heif_is_preferred(monkeypatch) -> None:
    registered: list[str] = []
    both = {"pillow_heif": _module("pillow_heif", registered),
            "pi_heif": _module("pi_heif", registered)}
    monkeypatch.setattr(photo_io.importlib, "import_module", _only(both))
    assert photo_io._heif_opener() is both["pillow_heif"] and registered == ["pillow_heif"]


def test_without_either_heic_is_refused_in_plain_words(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(photo_io.importlib, "import_module", _only({}))
    assert photo_io._heif_opener() is None
    monkeypatch.setattr(photo_io, "heif", None)
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    assert photo_io._unidentified_reason(path) == photo_io.HEIC_MISSING
