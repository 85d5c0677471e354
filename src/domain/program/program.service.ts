import { selectRows, toId, toNumber } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { ProgramErrorCode } from './program.errors.js';

/** What earning and expiring points in a program depend on. */
export interface ProgramRules {
  readonly id: number;
  readonly pointsPerCurrencyUnit: number;
  readonly pointsExpiryDays: number;
}

/**
 * The rules of the org's program `programId`, or of its default program when none is named;
 * PROGRAM_NOT_FOUND on `field` for an id the org does not have.
 */
export async function programRules(ctx: ServiceContext, programId: number | null | undefined, field: readonly string[] = ['input', 'programId']): Promise<ProgramRules> {
  const named = programId !== null && programId !== undefined;
  if (named && !Number.isSafeInteger(programId)) throw new DomainError(ProgramErrorCode.PROGRAM_NOT_FOUND, 'The org has no loyalty program with that id.', field);
  const rows = await selectRows(
    ctx.em,
    named
      ? 'select id, points_per_currency_unit, points_expiry_days from loyalty_program where org_id = ? and id = ?'
      : 'select id, points_per_currency_unit, points_expiry_days from loyalty_program where org_id = ? and is_default',
    named ? [ctx.org.id, programId] : [ctx.org.id],
  );
  const row = rows[0];
  if (!row) {
    // Every org is set up with a default program; without one, a named program is the only way.
    throw new DomainError(ProgramErrorCode.PROGRAM_NOT_FOUND, named ? 'The org has no loyalty program with that id.' : 'The org has no default loyalty program.', field);
  }
  return { id: toId(row.id), pointsPerCurrencyUnit: toNumber(row.pointsPerCurrencyUnit), pointsExpiryDays: Number(row.pointsExpiryDays) };
}

/** When points credited at `from` expire under the program's rules. */
export function pointsExpiry(program: ProgramRules, from: Date): Date {
  return new Date(from.getTime() + program.pointsExpiryDays * 86_400_000);
}
