import { CustomerFields } from './customer.fields.js';
import { CustomerResolver } from './customer.resolver.js';

export const customerResolvers = [CustomerResolver, CustomerFields] as const;
export { customerById } from './customer.loaders.js';
export { Customer, CustomerConnection } from './customer.types.js';
export type { CustomerRow } from '../../domain/customer/customer.rows.js';
