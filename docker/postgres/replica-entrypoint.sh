#!/bin/sh
# A streaming replica of $PRIMARY_HOST. The first start clones it with pg_basebackup, whose -R
# writes standby.signal and the connection settings; every start then runs a hot standby.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -U postgres -q; do sleep 1; done
  PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U postgres -D "$PGDATA" \
    -R -X stream -c fast
  chmod 700 "$PGDATA"
fi
exec postgres -c cluster_name="$CLUSTER_NAME"
