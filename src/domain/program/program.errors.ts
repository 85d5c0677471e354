import { errorCodes } from '../../core/errors.js';

export const ProgramErrorCode = errorCodes({
  PROGRAM_NOT_FOUND: 'The org has no loyalty program with that id.',
  PROGRAM_HAS_NO_BASE_TIER: 'The loyalty program has no base tier (rank 0), so nobody can be enrolled in it yet.',
});
