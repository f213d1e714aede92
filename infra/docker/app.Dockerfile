# syntax=docker/dockerfile:1
#
# One image recipe for every Node process of Cairn. Build a process with its target:
#
#   docker build -f infra/docker/app.Dockerfile --target api     .   # NestJS API        (backend/dist/main.js)
#   docker build -f infra/docker/app.Dockerfile --target worker  .   # Temporal worker   (backend/dist/worker.js)
#   docker build -f infra/docker/app.Dockerfile --target migrate .   # one-shot migrations (cairn migrate)
#   docker build -f infra/docker/app.Dockerfile --target web     .   # Next.js web app   (next start)
#
# The build context is the repository root (see /.dockerignore). All four targets share the same
# layers up to `runtime`, so building them together costs one install and one `turbo run build`.
#
# Configuration comes only from the environment at run time (backend/src/config/config.schema.ts lists
# every key); nothing environment-specific is baked into an image, so one image serves every deployment.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------
# base: settings shared by every stage
# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
# No telemetry or update checks from build tools; @scarf/scarf (pulled in by swagger-ui) reports
# installs from its postinstall script unless told not to.
ENV NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    SCARF_ANALYTICS=false \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app

# ---------------------------------------------------------------------------------------------------
# manifests: only what `npm ci` reads. Copying these before the sources means the dependency layers
# below are rebuilt only when a package.json or the lockfile changes, not on every source edit.
# Every workspace listed in the root package.json must be copied here, or `npm ci` rejects the
# lockfile (infra/test/compose.test.ts checks this).
# ---------------------------------------------------------------------------------------------------
FROM base AS manifests
COPY package.json package-lock.json ./
COPY workflows/package.json workflows/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
COPY infra/sandbox/package.json infra/sandbox/

# Installing: `npm ci` installs exactly what package-lock.json records, and is what runs when it can.
# npm ci refuses a lockfile that lacks entries for the other platforms' optional binaries
# (@swc/core-darwin-*, @turbo/windows-*, ...), which a lockfile written where those packages could not
# be fetched does. Then the install falls back to `npm install --no-save`: it still takes every
# version the lockfile records and adds only those platform packages, whose versions their parents
# pin exactly. Read the build log if you see the fallback message: it also hides a lockfile that is
# simply out of date with a package.json.
#
# deps: the full tree (dev dependencies included: turbo, typescript, next's build tooling).
# Every native dependency (@temporalio/core-bridge, @swc/core, @node-rs/argon2, @next/swc, sharp)
# ships prebuilt glibc binaries, which is why the slim Debian image needs no compiler toolchain.
FROM manifests AS deps
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci \
 || { echo 'npm ci rejected package-lock.json (see above); installing from it with npm install' >&2; \
      rm -rf node_modules; npm install --no-save; }

# prod-deps: a second, clean install without dev dependencies. A fresh install with --omit=dev is
# more predictable with workspaces than pruning the build tree. Empty per-workspace node_modules
# folders are created so the runtime stage can copy them whether or not npm nested anything there.
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    { npm ci --omit=dev \
      || { echo 'npm ci rejected package-lock.json (see above); installing from it with npm install' >&2; \
           rm -rf node_modules; npm install --no-save --omit=dev; }; } \
 && mkdir -p workflows/node_modules backend/node_modules frontend/node_modules infra/sandbox/node_modules

# ---------------------------------------------------------------------------------------------------
# build: compile every workspace in dependency order (workflows -> backend, frontend).
# --env-mode=loose: turbo's default strict mode hides environment variables that turbo.json does not
# list from the build tasks; inside an image build the environment is already controlled.
# ---------------------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npx turbo run build --env-mode=loose

# app-files: the built tree without any node_modules (the runtime gets production ones instead) and
# without caches that are only useful to a later build. The Next.js output is moved aside so the
# runtime can copy it once, owned by the app user (see below).
FROM build AS app-files
RUN rm -rf node_modules workflows/node_modules backend/node_modules frontend/node_modules \
           infra/sandbox/node_modules frontend/.next/cache .turbo ./*/.turbo \
 && find . -name '*.tsbuildinfo' -delete \
 && mkdir -p /out \
 && mv frontend/.next /out/next

# ---------------------------------------------------------------------------------------------------
# runtime: what every process runs on. Sources stay next to the build output (small, and it keeps
# any file the code reads at run time, such as tsconfig files Next.js looks at, where it expects it).
# Files belong to root and are read-only for the `node` user (uid 1000) the processes run as, except
# where a process writes: CAIRN_DATA_DIR's default (.cairn under the working directory) and
# frontend/.next, where `next start` keeps its image/fetch cache and rewrites prerendered pages on
# revalidation.
# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    npm_config_update_notifier=false
WORKDIR /app
COPY --from=app-files /app ./
COPY --from=app-files --chown=1000:1000 /out/next ./frontend/.next
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/workflows/node_modules ./workflows/node_modules
COPY --from=prod-deps /app/backend/node_modules ./backend/node_modules
COPY --from=prod-deps /app/frontend/node_modules ./frontend/node_modules
COPY --from=prod-deps /app/infra/sandbox/node_modules ./infra/sandbox/node_modules
RUN mkdir -p /app/.cairn /app/frontend/.next/cache \
 && chown 1000:1000 /app/.cairn /app/frontend/.next/cache
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric USER.
USER 1000:1000

# ---------------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------------

# migrate: applies pending database migrations and exits 0. Run it once per release before the api
# and worker start (compose does this with `service_completed_successfully`), so that several API
# replicas never race each other over the schema at start-up.
FROM runtime AS migrate
CMD ["node", "backend/dist/cli/cairn.js", "migrate"]

# worker: the Temporal worker (journey interpreter, sync, retraining activities). No HTTP port.
# It drains in-flight activities on SIGTERM, so give it a stop grace period (compose: 30 s).
FROM runtime AS worker
CMD ["node", "backend/dist/worker.js"]

# web: the Next.js app, started from frontend/ on CAIRN_WEB_PORT. It reaches the API at request time
# through CAIRN_API_URL (nothing about the API is baked into the build).
FROM runtime AS web
# `next start` compiles frontend/next.config.ts on every start and needs the `typescript` package
# for that (next/dist/build/next-config-ts/transpile-config.js; without it Next tries to npm-install
# it at start and fails as a non-root user). typescript is a dev dependency, so copy the exact
# locked version from the full install.
COPY --from=deps /app/node_modules/typescript /app/node_modules/typescript
WORKDIR /app/frontend
ENV PATH=/app/frontend/node_modules/.bin:/app/node_modules/.bin:$PATH
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.CAIRN_WEB_PORT||3000)+'/',{redirect:'manual',signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"]
# sh -c only to expand the variables; `exec` hands PID (and signals) to next itself.
CMD ["sh", "-c", "exec next start -p \"${CAIRN_WEB_PORT:-3000}\" -H \"${CAIRN_BIND_HOST:-0.0.0.0}\""]

# api: the NestJS HTTP API. Last stage, so a plain `docker build` without --target builds the API.
# Liveness is /api/health/live (process up, no dependency checks); slim images have no curl, so the
# check uses Node's fetch. It asks 127.0.0.1, which answers whenever CAIRN_BIND_HOST is 0.0.0.0.
FROM runtime AS api
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.CAIRN_API_PORT||4000)+'/api/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "backend/dist/main.js"]
