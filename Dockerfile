# The judge's own image (api, relay, projector and worker roles). Runtime images for the
# sandboxes are separate and built on the worker host by `npm run setup`.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY dist ./dist
COPY migrations ./migrations
COPY schema.graphql ./
USER node
ENV PORT=4000
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
