#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster and create the test role/database (idempotent, as root).
# Prints the URL the tests read from KIOSK_TEST_PG_URL.
set -eu
user=kiosk_test
password=kiosk_test
url="postgresql+psycopg://${user}:${password}@127.0.0.1:5432/${user}"
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "postgresql.sh: PostgreSQL is not installed (scripts/install-debian-deps.sh)" >&2
  exit 1
fi
version="$(pg_lsclusters -h | awk 'NR==1 {print $1}')"
if [ -z "$version" ]; then
  echo "postgresql.sh: no PostgreSQL cluster found" >&2
  exit 1
fi
if ! pg_lsclusters -h | awk 'NR==1 {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start || service postgresql start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -qAt" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN
    CREATE ROLE ${user} LOGIN PASSWORD '${password}' CREATEDB;
  END IF;
END \$\$;
SQL
if ! su postgres -c "psql -qAtc \"select 1 from pg_database where datname='${user}'\"" | grep -q 1; then
  su postgres -c "createdb -O ${user} ${user}"
fi
echo "$url"
