export { customerById } from './customer.loaders.js';
export { Customer, CustomerConnection } from './customer.types.js';
export type { CustomerRow } from '../../domain/customer/customer.rows.js';
