import { CustomerLoyaltyFields } from './customer-loyalty.fields.js';
import { UserGroupLoyaltyFields } from './user-group-loyalty.fields.js';

export const programResolvers = [CustomerLoyaltyFields, UserGroupLoyaltyFields] as const;
export { loyaltyOf, defaultProgramStanding, programById, tierById } from './program.loaders.js';
export { LoyaltyProgram, Tier, ProgramLoyalty } from './program.types.js';
