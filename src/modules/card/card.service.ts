import { selectRows, toId } from '../../db/rows.js';
import type { ServiceContext } from '../../server/context.js';
import type { CustomerRef } from '../customer/customer.service.js';

/**
 * The loyalty program of the card a customer reference names (CARD_NUMBER or CARD_EXTERNAL_ID, a
 * card of any status), via its series; undefined for other references.
 */
export async function programOfCard(ctx: ServiceContext, ref: CustomerRef): Promise<number | undefined> {
  if ('id' in ref || (ref.type !== 'CARD_NUMBER' && ref.type !== 'CARD_EXTERNAL_ID')) return undefined;
  const column = ref.type === 'CARD_NUMBER' ? 'number' : 'external_id';
  const rows = await selectRows(
    ctx.em,
    `select s.program_id from card c join card_series s on s.id = c.series_id and s.org_id = c.org_id where c.org_id = ? and c.${column} = ?`,
    [ctx.org.id, ref.value.trim()],
  );
  return rows[0] ? toId(rows[0].programId) : undefined;
}
