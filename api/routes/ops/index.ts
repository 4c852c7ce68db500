import type { RouteDef } from '../../registry';
import listWorkflows from './workflows/list';
import describeWorkflow from './workflows/describe';
import workflowHistory from './workflows/history';
import workflowTimeline from './workflows/timeline';
import cycleTimeline from './cycles/timeline';

/** Operator routes: read-only views of workflows (visibility, history, timeline). */
export function opsRoutes(): RouteDef[] {
  return [listWorkflows, describeWorkflow, workflowHistory, workflowTimeline, cycleTimeline];
}
