/** Every admin route (staff, board secretaries, operators' reads), in the order of the docs. */
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
import membersCreate from './members/create';
import membersGet from './members/get';
import membersImport from './members/import';
import membersList from './members/list';
import officesCreate from './offices/create';
import officesList from './offices/list';
import themesBrief from './themes/brief';
import themesCreate from './themes/create';
import themesList from './themes/list';

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
    membersCreate,
    membersGet,
    membersImport,
    membersList,
    officesCreate,
    officesList,
    themesBrief,
    themesCreate,
    themesList,
  ];
}
