import { ArgsType, Field, ID, Int, InterfaceType, ObjectType, type ClassType } from 'type-graphql';
import { UserInputError } from './errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size.js';
import type { CursorKey, Page, PageRequest } from '../core/sql/paging.js';

/** Every node row carries its GraphQL type name, so `Node` can resolve the concrete type. */
export interface NodeRow {
  readonly __typename: string;
  readonly id: number;
}

export function toGlobalId(typeName: string, id: number | string): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}

export interface GlobalId {
  readonly typeName: string;
  readonly id: number;
}

/** Decodes a global id; `undefined` for anything malformed (which then is simply not found). */
export function fromGlobalId(globalId: string): GlobalId | undefined {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(decoded);
  if (!match) return undefined;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { typeName: match[1], id } : undefined;
}

/** Decodes a global id that must be of `typeName`. */
export function idOfType(globalId: string, typeName: string): number | undefined {
  const decoded = fromGlobalId(globalId);
  return decoded?.typeName === typeName ? decoded.id : undefined;
}

/**
 * A global id given in a mutation input, as the numeric id services take: null when absent, and 0
 * (an id no row has) when malformed or of another type, so the service reports it NOT_FOUND like
 * any id the org does not have.
 */
export function inputId(globalId: string | null | undefined, typeName: string): number | null {
  if (globalId === null || globalId === undefined) return null;
  return idOfType(globalId, typeName) ?? 0;
}

@InterfaceType('Node', {
  description: 'An object with a globally unique id, refetchable with `node(id:)`.',
  resolveType: (value: NodeRow) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique, opaque id.' })
  id!: string;
}

@ObjectType({ description: 'Relay pagination state of a connection.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow `endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: connections are paginated forwards only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an `endCursor` of a previous page).' })
  after?: string | null;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.sortValue, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      Number.isSafeInteger(parsed[1])
    ) {
      return { sortValue: parsed[0], id: parsed[1] as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new UserInputError('The `after` cursor is not valid for this connection.', 'after');
}

/** Validates `first`/`after`; a connection that pages further than most (a timeline) passes its own maximum. */
export function pageRequest(args: PageArgs, maxPageSize: number = MAX_PAGE_SIZE): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw new UserInputError(`\`first\` must be between 1 and ${maxPageSize}.`, 'first');
  }
  return { first, after: args.after ? decodeCursor(args.after) : undefined };
}

/** The shape every connection resolves to; typed classes are made by `connectionType`. */
export interface ConnectionValue<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
}

export function toConnection<T extends { id: number }>(page: Page<T>, sortValueOf: (row: T) => string | number): ConnectionValue<T> {
  const edges = page.rows.map((node) => ({ cursor: encodeCursor({ sortValue: sortValueOf(node), id: node.id }), node }));
  return {
    edges,
    nodes: page.rows,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Makes the `XConnection` and `XEdge` object types for a node type. */
export function connectionType<T extends object>(nodeType: ClassType<T>, name: string): ClassType<ConnectionValue<T>> {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class Connection {
    @Field(() => [Edge], { description: 'Edges of this page.' })
    edges!: Edge[];

    @Field(() => [nodeType], { description: 'The nodes of this page, without cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Pagination state.' })
    pageInfo!: PageInfo;
  }
  return Connection;
}
