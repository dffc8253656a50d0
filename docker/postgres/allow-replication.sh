#!/bin/sh
# Runs once, when pg-iad's data directory is initialised (docker-entrypoint-initdb.d): lets
# pg-iad-replica stream from it, logging in as postgres with a SCRAM password.
set -eu
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
