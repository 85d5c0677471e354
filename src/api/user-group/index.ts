export { groupsOfCustomer, membersOfGroup, userGroupById } from './user-group.loaders.js';
export type { GroupMemberRow, UserGroupRow } from '../../domain/user-group/user-group.rows.js';
export { UserGroup } from './user-group.types.js';
