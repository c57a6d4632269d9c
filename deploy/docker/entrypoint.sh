#!/bin/sh
# Container entrypoint for every Tollgate service (see Dockerfile).
# - no arguments: run the service named by TOLLGATE_SERVICE (set at build time from the SERVICE
#   build arg, overridable at run time: `-e TOLLGATE_SERVICE=logging`)
# - arguments: run them instead (`docker run tollgate node -e '...'`)
set -eu

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

app="${TOLLGATE_APP_DIR:-/app}"
service="${TOLLGATE_SERVICE:-}"
if [ -z "$service" ]; then
  echo "tollgate: TOLLGATE_SERVICE is not set (one of: $(ls "$app/services" | tr '\n' ' '))" >&2
  exit 64
fi
case "$service" in
  *[!a-z0-9-]*)
    echo "tollgate: TOLLGATE_SERVICE=\"${service}\" is not a service name" >&2
    exit 64
    ;;
esac
main="$app/services/${service}/dist/src/main.js"
if [ ! -f "$main" ]; then
  echo "tollgate: service \"${service}\" is not built into this image (${main} missing; built: $(ls "$app/services" | tr '\n' ' '))" >&2
  exit 64
fi

# OTEL_SERVICE_NAME defaults to the service name so traces name their process
export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-tollgate-${service}}"

cd "$app"
exec node "$main"
