# One image for every service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
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
ENV NODE_ENV=production HOST=0.0.0.0
USER node
