import { OrgResolver } from './org.resolver.js';
import { CustomerJoinStoreFields } from './customer-join-store.fields.js';

export const orgResolvers = [OrgResolver, CustomerJoinStoreFields] as const;
export { storeById } from './org.loaders.js';
export { Org, Store, Viewer } from './org.types.js';
export type { OrgRow, StoreRow } from '../../domain/org/org.rows.js';
