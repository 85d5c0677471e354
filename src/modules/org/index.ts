import { OrgResolver } from './org.resolver.js';

export const orgResolvers = [OrgResolver] as const;
export { storeById } from './org.loaders.js';
export { Org, Store, Viewer } from './org.types.js';
export type { OrgRow, StoreRow } from './org.rows.js';
