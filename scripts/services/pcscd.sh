#!/usr/bin/env bash
# Starts pcscd with the vsmartcard "Virtual PCD" (vpcd) driver for the identity-document
# reader's integration tests. Idempotent: does nothing when pcscd already runs.
# vpcd listens on every interface (TCP 35963/35964): run this only on test machines.
set -u
conf_dir=/etc/reader.conf.d
if ! command -v pcscd >/dev/null 2>&1 && [ ! -x /usr/sbin/pcscd ]; then
  echo "pcscd: not installed (apt-get install pcscd vsmartcard-vpcd)" >&2; exit 1
fi
if ! grep -qs "libifdvpcd" "$conf_dir"/* /etc/reader.conf 2>/dev/null; then
  echo "pcscd: no vpcd reader configuration in $conf_dir (apt-get install vsmartcard-vpcd)" >&2
  exit 1
fi
if pgrep -x pcscd >/dev/null 2>&1; then
  ss -ltn 2>/dev/null | grep -q ':35963 ' && exit 0
  echo "pcscd: running without the vpcd driver listening on 35963 (started before" \
       "vsmartcard-vpcd was installed?); restart pcscd" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "pcscd: not running, and starting it needs root (sudo bash $0)" >&2; exit 1
fi
PATH="$PATH:/usr/sbin" pcscd   # daemonizes; the vpcd driver opens its sockets at once
# wait (at most 5 s) until vpcd listens; connecting would look like a card insertion
for _ in $(seq 50); do
  ss -ltn 2>/dev/null | grep -q ':35963 ' && exit 0
  sleep 0.1
done
echo "pcscd: started, but vpcd does not listen on 35963" >&2
exit 1
