# syntax=docker/dockerfile:1
# The IRM bot as a container: `docker compose up` (compose.yaml adds MongoDB), or
# `docker build -t irm-bot .` and run it with MONGODB_URI and the platform variables.
# The steps are the ones .ci/run runs: npm ci, then the type check and tests (the `test` target,
# which also fetches the stand-in database's jars: `docker build --target test .`).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

# CI in a container: the stand-in database needs Java 17 and Maven.
FROM deps AS test
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless maven && rm -rf /var/lib/apt/lists/*
COPY . .
RUN bash src/db/stand-in/install.sh && npm test

FROM deps AS build
COPY . .
RUN npx tsc --noEmit && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# The digest chart is rendered with system fonts (src/chart/goal-chart.ts asks for DejaVu Sans); the slim image has none.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/manifest.yml ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/src ./src
COPY --from=build --chown=node:node /app/commands ./commands
COPY --from=build --chown=node:node /app/jobs ./jobs
# The image's own user (uid 1000), never root.
USER node
EXPOSE 3000
# /healthz answers 200 while the database answers a ping, 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself as PID 1's child receives SIGTERM and finishes what is in flight (README: Running in production).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
