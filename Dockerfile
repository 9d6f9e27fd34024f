# One image recipe for every service: `docker build --build-arg SERVICE=payments .`
FROM node:20-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG SERVICE
RUN npx nx build "$SERVICE" --output-style=static

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /repo/dist/apps/${SERVICE}/package.json /repo/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund
COPY --from=build /repo/dist/apps/${SERVICE}/ ./
USER node
CMD ["node", "main.js"]
