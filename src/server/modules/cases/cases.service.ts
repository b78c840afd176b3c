/**
 * The cases service: the use cases other modules, jobs and the web console build on. Signatures
 * here are kept stable; everything else in the folder is internal.
 *
 * - reportCase / fileReport: 采集上报 (and filing directly, and self-resolving) with photos and an
 *   Idempotency-Key; `actOnCase`: every other change, by the transition table.
 * - getCase, listCases, queueCounts, publicCase: reads, always scoped.
 * - onCaseChange / setDuplicateFinder: where notifications, dispatch rules and duplicate detection plug in.
 */
export { actOnCase, loadForCaller, type ActResult } from './act.service.js';
export { reportCase, fileReport, newTrackingCode, type FiledReport, type ReportOptions } from './report.service.js';
export { getCase, presentCase, publicCase, replayCase, visibleFile } from './read.service.js';
export { listCases, queueCounts } from './list.service.js';
export {
  caseReference, onCaseChange, onCaseEvent, setDuplicateFinder,
  type AfterCommit, type CaseChange, type CaseEventHook, type CaseListener, type DuplicateCandidate, type DuplicateFinder,
} from './context.js';
export { caseActorFor, callerId, levelOfDivisionCode, type CaseCaller, type PublicCaller, type SystemCaller, type CaseTarget } from './actors.js';
export {
  publishCategoryTree, replaceCalendarYear, setOfficeHours, bumpReferenceStamp, seedReferenceData, type ReferenceData,
} from './reference.js';
export { snapshotOf, findCaseForSystem } from './cases.repo.js';
export { eventsOfCase, replayEventOf, workflowEvents } from './events.repo.js';
export { warnAtOf, lightOf, YELLOW_SHARE } from './timing.js';
