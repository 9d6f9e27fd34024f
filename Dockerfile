# One image recipe for every service: `docker build --build-arg SERVICE=payments .`
FROM node:20-bookworm-slim AS source
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .

# Not a service: provisions Kafka's topics and ACLs as the admin principal, from the topic registry
# (tools/kafka-access.ts; docker-compose.yml's kafka-provision): `docker build --target kafka-provision .`
FROM source AS kafka-provision
ENV SWC_NODE_PROJECT=tsconfig.base.json
USER node
CMD ["node", "-r", "@swc-node/register", "tools/kafka-access.ts", "provision"]

FROM source AS build
ARG SERVICE
# The gateway also serves the staff console (React, built by Vite); other images get an empty folder.
RUN npx nx build "$SERVICE" --output-style=static \
  && if [ "$SERVICE" = gateway ]; then npx nx build staff-console --output-style=static; else mkdir -p dist/apps/staff-console; fi

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /repo/dist/apps/${SERVICE}/package.json /repo/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund
COPY --from=build /repo/dist/apps/${SERVICE}/ ./
COPY --from=build /repo/dist/apps/staff-console/ ./staff-console/
ENV STAFF_CONSOLE_DIR=/app/staff-console
USER node
CMD ["node", "main.js"]
