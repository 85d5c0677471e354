export { storeById } from './org.loaders.js';
export { Org, Store, Viewer } from './org.types.js';
export type { OrgRow, StoreRow } from '../../domain/org/org.rows.js';
