#!/usr/bin/env bash
# Installs the Debian packages the kiosk and its tests need. As root it installs what is
# missing; otherwise it lists what is missing and how to install it, and carries on.
set -euo pipefail
PACKAGES=(
  python3-venv libpcsclite-dev swig pcscd vsmartcard-vpcd pcsc-tools
  libpulse0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  # a Qt window on X11: what `ldd` of PySide6's xcb platform plugin needs, and libxcb-cursor0,
  # which Qt loads itself (`kiosk doctor` names whichever is missing)
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
  # ... and on Wayland
  libwayland-client0 libwayland-cursor0 libwayland-egl1
  # the windowed demo's test: a real X server
  xvfb
  fonts-noto-cjk espeak-ng speech-dispatcher speech-dispatcher-espeak-ng
  postgresql chromium chromium-driver socat gcc strace
  # running unattended (deploy/): the kiosk compositor and time sync, checked by the tests
  # (Debian's cage is built with XWayland and refuses to start without its binary)
  cage xwayland chrony systemd
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "missing Debian packages (tests that need them will skip): ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
fi
