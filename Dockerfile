# syntax=docker/dockerfile:1
#
# One image for every Tollgate service. The service a container runs is chosen by
# TOLLGATE_SERVICE (baked in from the SERVICE build arg, overridable at run time):
#
#   docker build --build-arg SERVICE=gateway -t tollgate:gateway .
#   docker run -e TOLLGATE_SERVICE=logging tollgate:gateway      # same image, other service
#
# npm: package.json carries an `allowScripts` block (npm >= 11.16 reads it; in npm 11 it is
# advisory, npm 12 enforces it). node:20 images ship npm 10, which ignores the field and runs every
# install script. We pin the npm the lockfile was made with (NPM_VERSION) so `npm ci` in the image
# behaves exactly as on a developer machine, and keeps doing so when npm 12 starts enforcing.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG NPM_VERSION=11.19.1

# ---------------------------------------------------------------------------------------------
# base: node + the pinned npm, shared by the build and runtime stages
FROM ${NODE_IMAGE} AS base
ARG NPM_VERSION
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
RUN npm install --global "npm@${NPM_VERSION}" && npm --version
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# manifests: only the package.json files of the workspaces, at their paths, so the `npm ci`
# layers below are rebuilt only when dependencies change, not on every source edit
FROM base AS manifests
COPY libs ./libs
COPY services ./services
RUN mkdir -p /manifests \
 && find libs services -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# ---------------------------------------------------------------------------------------------
# build: full install (dev deps: typescript, ...) and `npm run build` (tsc -b)
FROM base AS build
COPY package.json package-lock.json ./
COPY --from=manifests /manifests/ ./
RUN npm ci
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY services ./services
COPY test ./test
RUN npm run build
# collect the compiled output of every workspace (libs/*/dist, services/*/dist) at its path
RUN mkdir -p /out \
 && find libs services -mindepth 2 -maxdepth 2 -type d -name dist -exec cp -r --parents {} /out/ \; \
 && find /out -name '*.tsbuildinfo' -delete

# ---------------------------------------------------------------------------------------------
# runtime: production dependencies + compiled output only
FROM base AS runtime
# tini as PID 1: forwards SIGTERM to node and reaps zombies (k8s and compose stop containers
# with SIGTERM; node as PID 1 would otherwise need its own handlers for every signal)
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev \
 && npm cache clean --force
COPY --from=build /out/ ./
COPY deploy/docker/entrypoint.sh /usr/local/bin/tollgate-entrypoint
RUN chmod 0755 /usr/local/bin/tollgate-entrypoint

ARG SERVICE=gateway
ENV TOLLGATE_SERVICE=${SERVICE} \
    PORT=4000

# the `node` user of the node image (uid/gid 1000), numeric so Kubernetes' runAsNonRoot can check it
USER 1000:1000

# gateway HTTP port; the other services' health ports (HEALTH_PORT, 8080 + service index)
EXPOSE 4000 8081 8082 8083 8084 8085

ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/tollgate-entrypoint"]
# no CMD: the entrypoint runs `node services/${TOLLGATE_SERVICE}/dist/src/main.js`;
# any arguments given at run time are executed instead (e.g. `node -e ...` for a one-off).
