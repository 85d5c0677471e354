export { loyaltyOf, defaultProgramStanding, programById, tierById } from './program.loaders.js';
export { LoyaltyProgram, Tier, ProgramLoyalty } from './program.types.js';
