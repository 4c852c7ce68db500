import type { RouteDef } from '../../registry';

/** Operator routes: read-only views of workflows (visibility, history, timeline). */
export function opsRoutes(): RouteDef[] {
  return [];
}
