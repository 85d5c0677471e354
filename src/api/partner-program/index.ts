/** Partner programs have no root queries: memberships are read through the customer. */
export { membershipsOfCustomer, programMembershipById, supplementaryProgramById } from './partner-program.loaders.js';
export {
  MembershipActivity,
  MembershipActivityKindEnum,
  MembershipStatusEnum,
  PartnerProgramTypeEnum,
  ProgramMembership,
  SupplementaryProgram,
} from './partner-program.types.js';
export type { MembershipActivityRow, ProgramMembershipRow, SupplementaryProgramRow } from '../../domain/partner-program/partner-program.rows.js';
