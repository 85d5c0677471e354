import { CommonErrorCode, DomainError, refusedOnConflict } from '../../core/errors.js';
import { selectRows, toDate, toId, writeRows, type Row } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ServiceContext } from '../context.js';
import { TIMELINE_EVENT_TYPES, type TimelineEventType } from './timeline.entity.js';
import { TimelineErrorCode } from './timeline.errors.js';

/** Longest view name accepted (the column's length). */
export const MAX_TIMELINE_VIEW_NAME_CHARS = 100;
/** How far back a view may reach: ten years and a few leap days. */
export const MAX_TIMELINE_VIEW_WINDOW_DAYS = 3_660;
/** An org has a handful of views; this many at most are listed. */
const MAX_LISTED_VIEWS = 200;
const DAY_MS = 86_400_000;

/** A named view as its org sees it. */
export interface TimelineViewRow {
  readonly id: number;
  readonly name: string;
  readonly eventTypes: readonly TimelineEventType[];
  readonly windowDays: number;
  readonly createdAt: Date;
}

export interface TimelineViewCreate {
  readonly name: string;
  readonly eventTypes: readonly string[];
  readonly windowDays: number;
}

/** Which events a view shows at a given moment: its types, at or after `since`. */
export interface TimelineWindow {
  readonly types: readonly TimelineEventType[];
  readonly since: Date;
}

const COLUMNS = 'id, name, event_types, window_days, created_at';

function toTimelineViewRow(row: Row): TimelineViewRow {
  return {
    id: toId(row.id),
    name: String(row.name),
    eventTypes: row.eventTypes as TimelineEventType[],
    windowDays: Number(row.windowDays),
    createdAt: toDate(row.createdAt),
  };
}

function viewName(value: string): string {
  const name = value.trim();
  if (name === '' || name.length > MAX_TIMELINE_VIEW_NAME_CHARS) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `name must be 1 to ${MAX_TIMELINE_VIEW_NAME_CHARS} characters.`, ['input', 'name']);
  }
  return name;
}

function viewEventTypes(values: readonly string[]): TimelineEventType[] {
  const types = [...new Set(values)].sort();
  const unknown = types.find((type) => !(TIMELINE_EVENT_TYPES as readonly string[]).includes(type));
  if (types.length === 0 || unknown !== undefined) {
    throw new DomainError(
      TimelineErrorCode.TIMELINE_VIEW_EVENT_TYPES_INVALID,
      `eventTypes must list at least one of ${TIMELINE_EVENT_TYPES.join(', ')}${unknown === undefined ? '' : `; "${unknown.slice(0, 50)}" is not one`}.`,
      ['input', 'eventTypes'],
    );
  }
  return types as TimelineEventType[];
}

function viewWindowDays(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMELINE_VIEW_WINDOW_DAYS) {
    throw new DomainError(TimelineErrorCode.TIMELINE_VIEW_WINDOW_OUT_OF_RANGE, `windowDays must be a whole number from 1 to ${MAX_TIMELINE_VIEW_WINDOW_DAYS}.`, ['input', 'windowDays']);
  }
  return value;
}

function nameTaken(name: string): DomainError {
  return new DomainError(TimelineErrorCode.TIMELINE_VIEW_NAME_TAKEN, `Your org already has a timeline view named "${name}".`, ['input', 'name']);
}

/** Names a new view of the org's customer timelines; the name must be new to the org. */
export async function createTimelineView(ctx: ServiceContext, input: TimelineViewCreate): Promise<TimelineViewRow> {
  const name = viewName(input.name);
  const eventTypes = viewEventTypes(input.eventTypes);
  const windowDays = viewWindowDays(input.windowDays);
  return inTransaction(ctx, async (tx) => {
    const [row] = await refusedOnConflict('timeline_view_org_id_name_unique', () => nameTaken(name), () =>
      writeRows(
        tx.em,
        `insert into timeline_view (org_id, name, event_types, window_days, created_at) values (?, ?, ?::jsonb, ?, ?) returning ${COLUMNS}`,
        [tx.org.id, name, JSON.stringify(eventTypes), windowDays, tx.clock.now()],
      ),
    );
    const view = toTimelineViewRow(row);
    await recordAudit(tx, { action: 'timelineViewCreate', subjectType: 'TimelineView', subjectId: view.id, details: { name, eventTypes, windowDays } });
    return view;
  });
}

/** Removes a view by its name. */
export async function deleteTimelineView(ctx: ServiceContext, name: string): Promise<TimelineViewRow> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await writeRows(tx.em, `delete from timeline_view where org_id = ? and name = ? returning ${COLUMNS}`, [
      tx.org.id,
      name.trim().slice(0, MAX_TIMELINE_VIEW_NAME_CHARS + 1),
    ]);
    if (!row) throw new DomainError(TimelineErrorCode.TIMELINE_VIEW_NOT_FOUND, `Your org has no timeline view named "${name.slice(0, MAX_TIMELINE_VIEW_NAME_CHARS)}".`, ['input', 'name']);
    const view = toTimelineViewRow(row);
    await recordAudit(tx, { action: 'timelineViewDelete', subjectType: 'TimelineView', subjectId: view.id, details: { name: view.name } });
    return view;
  });
}

/** The org's views, by name. */
export async function listTimelineViews(ctx: ServiceContext): Promise<TimelineViewRow[]> {
  const rows = await selectRows(ctx.em, `select ${COLUMNS} from timeline_view where org_id = ? order by name, id limit ${MAX_LISTED_VIEWS}`, [ctx.org.id]);
  return rows.map(toTimelineViewRow);
}

/** The org's views with these names (a name longer than any view's finds nothing). */
export async function findTimelineViews(ctx: ServiceContext, names: readonly string[]): Promise<TimelineViewRow[]> {
  const wanted = names.filter((name) => name.length <= MAX_TIMELINE_VIEW_NAME_CHARS);
  if (wanted.length === 0) return [];
  const rows = await selectRows(ctx.em, `select ${COLUMNS} from timeline_view where org_id = ? and name = any(?::text[])`, [ctx.org.id, wanted]);
  return rows.map(toTimelineViewRow);
}

/** The events a view shows at `now`: its types, within its last `windowDays` days. */
export function timelineWindowOf(view: TimelineViewRow, now: Date): TimelineWindow {
  return { types: view.eventTypes, since: new Date(now.getTime() - view.windowDays * DAY_MS) };
}
