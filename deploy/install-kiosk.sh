#!/usr/bin/env bash
# Installs the kiosk bundle (dist/kiosk, built from kiosk.spec) as an unattended appliance:
# the `kiosk` user, the cage session unit with the systemd watchdog, chrony on the district's
# time source, no text consoles. docs/unattended.md explains each piece.
#
#   deploy/install-kiosk.sh --bundle dist/kiosk --time-server ntp.district.example [--root DIR]
#
# --root installs into a staging tree (an image being built, or the tests) instead of /.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root=/ bundle="" time_server=""
usage() { echo "usage: $0 --bundle DIR --time-server HOST [--root DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?}"; shift 2 ;;
    --bundle) bundle="${2:?}"; shift 2 ;;
    --time-server) time_server="${2:?}"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$bundle" ] && [ -n "$time_server" ] || usage
if [ ! -x "$bundle/kiosk" ]; then
  echo "$0: $bundle/kiosk is not an executable: build the bundle first (pyinstaller kiosk.spec)" >&2
  exit 1
fi
case "$time_server" in
  *[!A-Za-z0-9.:-]*) echo "$0: --time-server must be a host name or address" >&2; exit 2 ;;
esac

install -d "$root/opt/kiosk/slots" "$root/opt/kiosk/updates" "$root/etc/kiosk" \
  "$root/etc/systemd/system" "$root/usr/lib/sysusers.d" "$root/etc/chrony/conf.d" \
  "$root/etc/systemd/logind.conf.d"
# Two slots (kiosk/updates.py): the bundle goes into the one not in use, then the `kiosk` link
# moves to it in one rename, so a failed copy leaves the running one whole. A bundle put in by
# hand is confirmed: any update pending or on trial is forgotten.
opt="$root/opt/kiosk"
slot=a
if [ -L "$opt/kiosk" ] && [ "$(readlink "$opt/kiosk")" = slots/a ]; then slot=b; fi
rm -rf "$opt/slots/$slot"
cp -a "$bundle" "$opt/slots/$slot"
rm -f "$opt/updates/state.json" "$opt/.kiosk.link"
if [ -d "$opt/kiosk" ] && [ ! -L "$opt/kiosk" ]; then rm -rf "$opt/kiosk"; fi  # before slots
ln -s "slots/$slot" "$opt/.kiosk.link"
mv -T "$opt/.kiosk.link" "$opt/kiosk"
# ExecStartPre: counts starts of a version on trial, outside the slots so no bundle can break it
install -d "$root/usr/local/lib/kiosk"
install -m 0644 "$here/../kiosk/start_counter.py" "$root/usr/local/lib/kiosk/start_counter.py"
if [ ! -x "$root/usr/bin/python3" ]; then
  echo "$0: warning: no /usr/bin/python3 in the target: an update that dies before it starts" \
    "will not be rolled back (apt-get install python3)" >&2
fi
# FONTCONFIG_FILE in kiosk.service: the system's fonts.conf less rules for fonts it never uses
install -d "$root/usr/local/share/kiosk"
install -m 0644 "$here/fontconfig/kiosk-fonts.conf" "$root/usr/local/share/kiosk/fonts.conf"
install -d "$root/opt/kiosk/docs"
install -m 0644 "$here/../docs/unattended.md" "$root/opt/kiosk/docs/unattended.md"

install -m 0644 "$here/sysusers.d/kiosk.conf" "$root/usr/lib/sysusers.d/kiosk.conf"
systemd-sysusers --root="$root" "$root/usr/lib/sysusers.d/kiosk.conf"

install -m 0644 "$here/systemd/kiosk.service" "$root/etc/systemd/system/kiosk.service"
install -m 0644 "$here/logind.conf.d/kiosk.conf" "$root/etc/systemd/logind.conf.d/kiosk.conf"
sed "s/@TIME_SERVER@/$time_server/" "$here/chrony/kiosk.conf.in" \
  > "$root/etc/chrony/conf.d/kiosk.conf"
chmod 0644 "$root/etc/chrony/conf.d/kiosk.conf"
if [ -f "$root/etc/chrony/chrony.conf" ]; then  # the district's source only: no public pool
  sed -i 's/^\(pool\|server\) /#&/' "$root/etc/chrony/chrony.conf"
fi
if [ ! -e "$root/etc/kiosk/site.toml" ]; then
  # the site's devices and district go here (README: configuration); until then every
  # device is its simulator and `kiosk doctor` says so
  printf '# this kiosk'"'"'s configuration: see README.md, "Configuration"\n' \
    > "$root/etc/kiosk/site.toml"
fi

# the application switches its own slots (ReadWritePaths= in kiosk.service)
kiosk_ids="$(grep '^kiosk:' "$root/etc/passwd" | cut -d: -f3,4)"  # the target's, not ours
chown "$kiosk_ids" "$opt"
chown -R "$kiosk_ids" "$opt/slots" "$opt/updates"

systemctl --root="$root" set-default graphical.target
systemctl --root="$root" enable kiosk.service
systemctl --root="$root" mask getty@tty1.service
if [ "$root" = / ]; then
  systemctl daemon-reload
  echo "installed; start it with: systemctl restart systemd-logind chrony kiosk"
fi
