/** Every admin route (staff, board secretaries, and the reads operators may use), grouped by resource. */
import type { RouteDef } from '../../registry';
import cyclesCancel from './cycles/cancel';
import cyclesClosePhase from './cycles/close-phase';
import cyclesConfigure from './cycles/configure';
import cyclesCreate from './cycles/create';
import cyclesExtendCountryDate from './cycles/extend-country-date';
import cyclesExtendDeadline from './cycles/extend-deadline';
import cyclesGet from './cycles/get';
import cyclesList from './cycles/list';
import cyclesParticipation from './cycles/participation';
import cyclesStart from './cycles/start';
import cyclesStatus from './cycles/status';
import officesCreate from './offices/create';
import officesList from './offices/list';
import themesBrief from './themes/brief';
import themesCreate from './themes/create';
import themesList from './themes/list';
import membersCreate from './members/create';
import membersErase from './members/erase';
import membersGet from './members/get';
import membersImport from './members/import';
import membersList from './members/list';
import groupsAddMembers from './groups/add-members';
import groupsConfirmMember from './groups/confirm-member';
import groupsCreate from './groups/create';
import groupsListMembers from './groups/list-members';
import groupsList from './groups/list';
import groupsResolveApproval from './groups/resolve-approval';
import groupsSetModerator from './groups/set-moderator';
import groupsStatus from './groups/status';
import groupsSubmit from './groups/submit';
import meetingsAttendance from './meetings/attendance';
import meetingsList from './meetings/list';
import meetingsRecord from './meetings/record';
import recommendationsList from './recommendations/list';
import consolidatedCreate from './consolidated/create';
import consolidatedExport from './consolidated/export';
import consolidatedGet from './consolidated/get';
import consolidatedMerge from './consolidated/merge';
import consolidatedRequestApprovals from './consolidated/request-approvals';
import consolidatedReword from './consolidated/reword';
import consolidatedSplit from './consolidated/split';
import consolidatedWithdraw from './consolidated/withdraw';
import videoconferencesCancel from './videoconferences/cancel';
import videoconferencesChange from './videoconferences/change';
import videoconferencesList from './videoconferences/list';
import videoconferencesSchedule from './videoconferences/schedule';
import boardsDecideBatch from './boards/decide-batch';
import boardsDecide from './boards/decide';
import boardsStatus from './boards/status';
import assembliesResult from './assemblies/result';
import assembliesStatus from './assemblies/status';
import projectsAbandon from './projects/abandon';
import projectsCreateInitiative from './projects/create-initiative';
import projectsGet from './projects/get';
import projectsList from './projects/list';
import projectsProgress from './projects/progress';
import keysCreate from './keys/create';
import keysList from './keys/list';
import keysRevoke from './keys/revoke';

export function adminRoutes(): RouteDef[] {
  return [
    cyclesCancel,
    cyclesClosePhase,
    cyclesConfigure,
    cyclesCreate,
    cyclesExtendCountryDate,
    cyclesExtendDeadline,
    cyclesGet,
    cyclesList,
    cyclesParticipation,
    cyclesStart,
    cyclesStatus,
    officesCreate,
    officesList,
    themesBrief,
    themesCreate,
    themesList,
    membersCreate,
    membersErase,
    membersGet,
    membersImport,
    membersList,
    groupsAddMembers,
    groupsConfirmMember,
    groupsCreate,
    groupsListMembers,
    groupsList,
    groupsResolveApproval,
    groupsSetModerator,
    groupsStatus,
    groupsSubmit,
    meetingsAttendance,
    meetingsList,
    meetingsRecord,
    recommendationsList,
    consolidatedCreate,
    consolidatedExport,
    consolidatedGet,
    consolidatedMerge,
    consolidatedRequestApprovals,
    consolidatedReword,
    consolidatedSplit,
    consolidatedWithdraw,
    videoconferencesCancel,
    videoconferencesChange,
    videoconferencesList,
    videoconferencesSchedule,
    boardsDecideBatch,
    boardsDecide,
    boardsStatus,
    assembliesResult,
    assembliesStatus,
    projectsAbandon,
    projectsCreateInitiative,
    projectsGet,
    projectsList,
    projectsProgress,
    keysCreate,
    keysList,
    keysRevoke,
  ];
}
