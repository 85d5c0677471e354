/**
 * How code below the app layer logs: a message written by the code (ids and counts, never what a
 * request or a file carried), the error when there is one (its stack is kept), and fields such as
 * `jobId` that a log line carries as its own properties. The app layer decides where it goes.
 */
export type Log = (message: string, error?: unknown, fields?: Readonly<Record<string, unknown>>) => void;
