"""Can Qt open a window here? The system libraries its platform plugin needs, checked
without starting Qt (which aborts the process when one is missing).

The plugin is the one Qt would pick: `QT_QPA_PLATFORM` if set, else Wayland in a Wayland
session, else X11 (xcb); it is looked for where Qt looks (`QT_QPA_PLATFORM_PLUGIN_PATH`,
then PySide6's own plugins). `ldd` lists what the plugin links to and cannot find; the
xcb plugin also loads libxcb-cursor itself (Qt >= 6.5 refuses to start without it).
"""
from __future__ import annotations

import ctypes
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LOADED_BY_THE_PLUGIN = {"xcb": ("libxcb-cursor.so.0",)}
INSTALL_HINT = "install them with: sudo bash scripts/install-debian-deps.sh"


@dataclass(frozen=True)
class PlatformCheck:
    platform: str
    missing: tuple[str, ...] = ()
    error: str = ""  # the plugin itself cannot be found or inspected

    @property
    def usable(self) -> bool:
        return not self.missing and not self.error

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(debian_package(name) for name in self.missing)

    @property
    def reason(self) -> str:
        if self.error:
            return self.error
        if not self.missing:
            return ""
        return (f"Qt's {self.platform} platform plugin cannot load: missing "
                f"{', '.join(self.missing)} (Debian packages {' '.join(self.packages)}); "
                f"{INSTALL_HINT}")


def platform_in_use(environ: Mapping[str, str]) -> str:
    requested = environ.get("QT_QPA_PLATFORM", "")
    if requested:  # "xcb", "wayland;xcb" (the first that loads), "vnc:size=800x600"
        return requested.split(";")[0].split(":")[0]
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def check(environ: Mapping[str, str] = os.environ) -> PlatformCheck:
    platform = platform_in_use(environ)
    plugin = plugin_file(platform, environ)
    if plugin is None:
        return PlatformCheck(platform, error=f"no Qt platform plugin {platform!r} "
                                             f"(QT_QPA_PLATFORM names one that does not exist)")
    try:
        missing = missing_libraries(plugin)
    except OSError as error:
        return PlatformCheck(platform, error=f"cannot inspect {plugin}: {error}")
    missing += [name for name in LOADED_BY_THE_PLUGIN.get(platform, ())
                if name not in missing and not loadable(name)]
    return PlatformCheck(platform, tuple(missing))


def plugin_file(platform: str, environ: Mapping[str, str]) -> Path | None:
    # one plugin serves "wayland", "wayland-egl" and "wayland-brcm"
    name = f"libq{'wayland' if platform.startswith('wayland') else platform}.so"
    directories = [Path(environ["QT_QPA_PLATFORM_PLUGIN_PATH"])] \
        if environ.get("QT_QPA_PLATFORM_PLUGIN_PATH") else []
    directories.append(_pyside_plugins() / "platforms")
    return next((d / name for d in directories if (d / name).is_file()), None)


def _pyside_plugins() -> Path:
    from PySide6.QtCore import QLibraryInfo  # QtCore alone starts no platform
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))


def missing_libraries(binary: Path) -> list[str]:
    """Shared libraries `binary` needs, directly or through another, that are not found."""
    listing = subprocess.run(["ldd", str(binary)], capture_output=True, text=True,
                             timeout=30, check=False)
    found = re.findall(r"^\s*(\S+) => not found", listing.stdout, flags=re.MULTILINE)
    return list(dict.fromkeys(found))


def loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def debian_package(soname: str) -> str:
    """Debian's name for the package shipping a library (policy 8.1): libxcb-icccm.so.4 is
    in libxcb-icccm4, libxkbcommon-x11.so.0 in libxkbcommon-x11-0."""
    match = re.fullmatch(r"(lib.+)\.so\.(\d+)(?:\..*)?", soname)
    if match is None:
        return soname
    base, major = match.groups()
    return f"{base}{'-' if base[-1].isdigit() else ''}{major}".lower()
