#!/bin/sh
# Runs once, when a regional primary's data directory is initialised
# (docker-entrypoint-initdb.d): creates the unprivileged role Meridian logs in as, owning the
# region's database. Never configure Meridian with the superuser: every client becomes the
# backend's configured user.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v role="${MERIDIAN_ROLE:-meridian_app}" -v password="${MERIDIAN_ROLE_PASSWORD:-meridian-app}" \
     -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
ALTER DATABASE :"db" OWNER TO :"role";
SQL
