import { toDate, toId, type Row } from '../../core/sql/rows.js';

export interface RegistrationEventRow {
  readonly id: number;
  readonly customerId: number;
  readonly sourceId: string;
  readonly activity: string;
  readonly state: string;
  readonly addedBy: string;
  readonly referenceId: string;
  readonly updatedOn: Date;
}

export function toRegistrationEventRow(row: Row): RegistrationEventRow {
  return {
    id: toId(row.id),
    customerId: toId(row.customerId),
    sourceId: String(row.sourceId),
    activity: String(row.activity),
    state: String(row.state),
    addedBy: String(row.addedBy),
    referenceId: String(row.referenceId),
    updatedOn: toDate(row.updatedOn),
  };
}

/** The cursor sort value of an event: what `registrationEventsOfCustomer` sorts by. */
export function registrationEventSortValue(row: RegistrationEventRow): string {
  return row.updatedOn.toISOString();
}
