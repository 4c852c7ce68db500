/**
 * Custom search attributes the workflows upsert, so operators can list cycles, groups and boards
 * by phase and status through Temporal visibility. The dev server registers them at start
 * (scripts/stack); docker-compose registers them with `temporal operator search-attribute create`.
 * Values are ids and enum words only: never personal data.
 */
export const searchAttributes = {
  SipKind: 'Keyword', // cycle | group | board | assembly | project
  SipCycleId: 'Keyword',
  SipPhase: 'Keyword', // cycle phase
  SipStatus: 'Keyword', // group / board / assembly / project status
  SipCountry: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof searchAttributes;
