/** Next's handler for /api/gateway: the same plain route the lean server calls (lib/routes.ts). */
import { nextRoutes } from "../../../lib/next-adapter";

export const dynamic = "force-dynamic";
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = nextRoutes("/api/gateway");
