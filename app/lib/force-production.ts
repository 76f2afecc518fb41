/**
 * Imported first by server.ts: React and Next pick their production code paths from
 * NODE_ENV when they are first loaded, and this server is only ever production
 * (never `next dev`). Next's typings mark NODE_ENV read-only, hence Object.assign.
 */
Object.assign(process.env, { NODE_ENV: "production" });
export {};
