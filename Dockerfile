# One image for every service; docker-compose.yml picks the workspace to run.
FROM node:20-bookworm-slim
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
COPY domain-packages domain-packages
COPY adapters adapters
COPY infrastructure infrastructure
COPY subgraphs subgraphs
COPY router router
COPY tools tools
COPY prisma prisma
COPY schema schema
RUN npm ci --no-audit --no-fund
ARG WORKSPACE
ENV WORKSPACE=${WORKSPACE}
CMD ["sh", "-c", "npm run start -w ${WORKSPACE}"]
