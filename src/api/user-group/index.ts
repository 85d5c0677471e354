import { UserGroupFields } from './user-group.fields.js';
import { UserGroupResolver } from './user-group.resolver.js';
import { CustomerGroupFields } from './customer-groups.fields.js';

export const userGroupResolvers = [UserGroupResolver, UserGroupFields, CustomerGroupFields] as const;
export { groupsOfCustomer, membersOfGroup, userGroupById } from './user-group.loaders.js';
export type { GroupMemberRow, UserGroupRow } from '../../domain/user-group/user-group.rows.js';
export { UserGroup } from './user-group.types.js';
