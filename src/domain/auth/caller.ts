import type { OrgRow } from '../org/org.rows.js';
import type { StaffRole } from './api-key.entity.js';

/**
 * Who sent a request: an org and a role, from an API key or from a staff member's token of the
 * org's identity provider.
 */
export interface Caller {
  readonly org: OrgRow;
  readonly role: StaffRole;
  /** The API key it carried; null for a staff member signed in with the org's identity provider. */
  readonly apiKeyId: number | null;
  /** Who acts, for the audit trail: `api-key:<id>` or `staff:<email>`. */
  readonly actor: string;
}
