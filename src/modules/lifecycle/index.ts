export { registrationEventsOfCustomer } from './lifecycle.loaders.js';
export { RegistrationEvent, RegistrationEventConnection } from './lifecycle.types.js';
export { registrationEventSortValue } from './lifecycle.rows.js';
export type { RegistrationEventRow } from './lifecycle.rows.js';
