#!/usr/bin/env bash
# Makes a local PostgreSQL ready for the tests (installs Debian's server if missing, starts
# the cluster, creates a role and a database) and prints the URL to use. Idempotent.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null || ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  echo "installing Debian's postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
psql_as_postgres() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname = 'article_embed'" | grep -q 1 \
  || psql_as_postgres "CREATE ROLE article_embed LOGIN PASSWORD 'article_embed' CREATEDB" >&2
echo "postgres://article_embed:article_embed@127.0.0.1:$port/postgres"
