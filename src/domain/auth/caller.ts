import type { OrgRow } from '../org/org.rows.js';
import type { StaffRole } from './api-key.entity.js';

/** Who sent a request: the org and role of the API key it carried. */
export interface Caller {
  readonly org: OrgRow;
  readonly role: StaffRole;
  readonly apiKeyId: number;
}
