/**
 * The workflows the worker registers (workflowsPath points here). The api and the links never
 * import this file: they use the contracts next to each workflow.
 *
 * Changing a workflow that has runs in flight (a cycle lives ten months, a project years):
 * recorded histories (test/fixtures/histories) must keep replaying. Any change in the commands a
 * workflow issues (an activity added, removed or reordered, a timer, a child) goes behind
 * `patched('<yyyy-mm>-<what>')`:
 *
 *   if (patched('2027-01-board-reminder-to-chair')) { await mail.sendMail(...) }
 *
 * Old runs replay the old branch; new runs take the new one. Once no run started before the
 * change is open (list by SipKind/SipPhase in visibility), replace `patched` by
 * `deprecatePatch` in a release, then remove the old branch in the next. Record new history
 * fixtures (RECORD_HISTORIES=1) after every such change and keep the old ones: the replay test
 * runs them all. Message and query names are a public contract (contract.ts): add, never rename.
 */
export { cycleWorkflow } from './cycle/workflow';
export { groupWorkflow } from './group/workflow';
export { boardWorkflow } from './board/workflow';
export { assemblyWorkflow } from './assembly/workflow';
export { followUpWorkflow } from './follow-up/workflow';
