# The api and the worker (same image, different command; see docker-compose.yml).
FROM node:24-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# TypeScript runs through tsx (a runtime dependency): no compile step. The worker bundles the
# workflow sources at start in a child process, into DATA_DIR/bundles, as it does in development
# (WORKFLOW_BUNDLE_PATH can point at a bundle made by worker/bundle.ts instead). Everything but
# .dockerignore's list is copied, so a new source folder needs no change here.
COPY . .

RUN mkdir -p /data && chown node:node /data
USER node
ENV DATA_DIR=/data
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
