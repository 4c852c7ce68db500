/**
 * Workflow id builders and parsers. Ids are opaque keys (no names, no e-mail addresses), so a
 * member can be erased from MongoDB without rewriting any Temporal history.
 * Pure functions: workflows, activities and the api all import this file.
 */
import type { CountryCode } from './types';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** True when the value is usable as an id segment (letters, digits, `_` and `-`, at most 64). */
export function isId(value: string): boolean {
  return ID.test(value);
}

export const cycleWorkflowId = (cycleId: string) => `cycle:${cycleId}`;
export const groupWorkflowId = (cycleId: string, groupId: string) => `cycle:${cycleId}:group:${groupId}`;
export const boardWorkflowId = (cycleId: string, country: CountryCode) => `cycle:${cycleId}:board:${country}`;
export const assemblyWorkflowId = (cycleId: string, country: CountryCode) =>
  `cycle:${cycleId}:assembly:${country}`;
export const projectWorkflowId = (projectId: string) => `project:${projectId}`;

export type ParsedWorkflowId =
  | { kind: 'cycle'; cycleId: string }
  | { kind: 'group'; cycleId: string; groupId: string }
  | { kind: 'board'; cycleId: string; country: CountryCode }
  | { kind: 'assembly'; cycleId: string; country: CountryCode }
  | { kind: 'project'; projectId: string };

/** Reads a workflow id back into its parts; undefined for ids this project did not build. */
export function parseWorkflowId(workflowId: string): ParsedWorkflowId | undefined {
  const parts = workflowId.split(':');
  if (parts[0] === 'project' && parts.length === 2) return { kind: 'project', projectId: parts[1] };
  if (parts[0] !== 'cycle') return undefined;
  const cycleId = parts[1];
  if (parts.length === 2) return { kind: 'cycle', cycleId };
  if (parts.length !== 4) return undefined;
  if (parts[2] === 'group') return { kind: 'group', cycleId, groupId: parts[3] };
  if (parts[2] === 'board') return { kind: 'board', cycleId, country: parts[3] };
  if (parts[2] === 'assembly') return { kind: 'assembly', cycleId, country: parts[3] };
  return undefined;
}
