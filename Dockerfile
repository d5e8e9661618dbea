# One image for every service; docker-compose.yml picks the entry point per service.
# Built in two stages so the image that runs holds the compiled code and production dependencies
# only: no TypeScript sources, compiler, test tools or build context (and never a .env: .dockerignore).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY config ./config
COPY schema ./schema
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# Production: every service refuses to start without explicit secrets (JWT_SECRET, SERVICE_SECRET), and the
# gateway without the identity provider's key set, issuer and audience (README, Configuration, Identity).
ENV NODE_ENV=production HOST=0.0.0.0
# package.json marks the project root, where services find config/ and schema/ at run time.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY --from=build /app/schema ./schema
USER node
