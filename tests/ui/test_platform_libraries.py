"""Which Qt platform plugin the kiosk will use, and the Debian package a missing library
is in (the check itself, on a real plugin, is in tests/launcher/cli/test_doctor.py)."""
from __future__ import annotations

import pytest

from ui.platform_libraries import check, debian_package, platform_in_use


@pytest.mark.parametrize("environ,platform", [
    ({}, "xcb"),
    ({"DISPLAY": ":0"}, "xcb"),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"},
     "wayland"),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, "xcb"),
    ({"QT_QPA_PLATFORM": "eglfs", "DISPLAY": ":0"}, "eglfs"),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "wayland"),
    ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "vnc"),
])
def test_the_platform_qt_would_pick(environ, platform):
    assert platform_in_use(environ) == platform


@pytest.mark.parametrize("soname,package", [
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libwayland-client.so.0.21.0", "libwayland-client0"),
])
def test_the_debian_package_of_a_library(soname, package):
    assert debian_package(soname) == package


def test_a_platform_qt_does_not_have_is_named():
    result = check({"QT_QPA_PLATFORM": "nosuchplatform"})
    assert not result.usable and "nosuchplatform" in result.reason
