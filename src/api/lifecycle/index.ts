export { registrationEventsOfCustomer } from './lifecycle.loaders.js';
export { RegistrationEvent, RegistrationEventConnection } from './lifecycle.types.js';
export { registrationEventSortValue } from '../../domain/lifecycle/lifecycle.rows.js';
export type { RegistrationEventRow } from '../../domain/lifecycle/lifecycle.rows.js';
