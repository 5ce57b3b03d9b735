#!/usr/bin/env bash
# Installs the Debian packages the kiosk and its tests need. As root it installs what is
# missing; otherwise it lists what is missing and how to install it, and carries on.
set -euo pipefail
PACKAGES=(
  python3-venv libpcsclite-dev swig pcscd vsmartcard-vpcd pcsc-tools
  libpulse0 libegl1 libgl1 libxkbcommon0 libxcb-cursor0 libfontconfig1 libdbus-1-3
  fonts-noto-cjk espeak-ng speech-dispatcher speech-dispatcher-espeak-ng
  postgresql chromium chromium-driver socat gcc strace
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
