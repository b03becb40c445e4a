/**
 * Statements that are ready at the same moment (the loader batches of one level of a query, or a
 * request's opening with its first statements) sent to PostgreSQL in one round trip: the extended
 * protocol's Parse (unless the connection has the text prepared already), Bind, Describe and
 * Execute for each, then a single Sync. PostgreSQL runs them in order and, after an error, skips
 * the rest up to the Sync, as the aborted transaction would refuse them anyway. A named statement
 * is prepared on the connection (planned once), unlike those of a multi-statement simple query.
 *
 * node-postgres runs one submittable at a time and hands it the backend's messages; the pipeline
 * passes each statement's messages to a pg Query of its own, so rows are parsed exactly as for a
 * plain query (same type parsers). node-postgres has no pipeline mode of its own.
 */
import { Query } from 'pg';

type Row = Record<string, unknown>;

// node-postgres' own conversion of a parameter to its wire text (arrays to array literals).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | Buffer | null };

export interface PipelinedStatement {
  text: string;
  values: readonly unknown[];
  /** A prepared statement's name: parsed in the same round trip when the connection has not parsed it yet. */
  name?: string;
  /** The format of each result column (0 text, 1 binary), when not all text; see Shape.resultFormats. */
  resultFormats?: readonly number[];
  settle(error: Error | null, rows?: Row[]): void;
}

/** The parts of node-postgres' Client and Connection the pipeline drives (not in its typings). */
interface WireConnection {
  parsedStatements: Record<string, string>;
  on(event: 'parseComplete', listener: () => void): unknown;
  off(event: 'parseComplete', listener: () => void): unknown;
  stream: { cork?(): void; uncork?(): void };
  parse(message: { text: string; name?: string }): void;
  bind(message: { statement?: string; values: readonly (string | Buffer | null)[]; resultFormats?: readonly number[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: object): void;
  sync(): void;
}
export interface Submittable {
  submit(connection: WireConnection): Error | null;
}
export interface PipelineClient {
  connection: WireConnection;
  _types: unknown;
  query(submittable: Submittable): unknown;
}

/** Query's message handlers, which node-postgres' typings leave out. */
interface QueryHandlers {
  _result: { _types: unknown };
  callback?: (error: Error | null, result?: { rows: Row[] }) => void;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: WireConnection): void;
  handleError(error: Error, connection: WireConnection): void;
  handleReadyForQuery(connection: WireConnection): void;
  handleCopyInResponse(connection: WireConnection): void;
  handlePortalSuspended(connection: WireConnection): void;
  handleCopyData(message: unknown, connection: WireConnection): void;
}

class Pipeline implements Submittable {
  private readonly queries: QueryHandlers[];
  /** The statement whose results the backend is sending. */
  private current = 0;
  /** The statement whose values could not be converted: then nothing was sent. */
  private unsendable?: number;
  /**
   * When the round trip prepares named statements: its Parse messages in order, each taken off as
   * PostgreSQL confirms it, a named one then recorded as prepared on the connection (node-postgres
   * records only its own queries' parses).
   */
  private parses?: { name?: string; text: string }[];
  private connection?: WireConnection;
  private readonly parseComplete = () => {
    const parse = this.parses!.shift();
    if (parse?.name) this.connection!.parsedStatements[parse.name] = parse.text;
  };

  constructor(
    private readonly statements: readonly PipelinedStatement[],
    types: unknown,
  ) {
    this.queries = statements.map((s) => {
      const query = new Query({ text: s.text, name: s.name }) as unknown as QueryHandlers;
      query._result._types = types;
      query.callback = (error, result) => s.settle(error, result?.rows);
      return query;
    });
  }

  /** False when a value could not be converted: then nothing was sent. */
  get sent(): boolean {
    return this.unsendable === undefined;
  }

  submit(connection: WireConnection): Error | null {
    // Converted before anything is written: a value that cannot be sent fails the pipeline whole.
    const values: (string | Buffer | null)[][] = [];
    for (const [i, s] of this.statements.entries()) {
      try {
        values.push(s.values.map(prepareValue));
      } catch (err) {
        this.unsendable = i;
        return err as Error;
      }
    }
    // Parse what the connection has not prepared (a name once, even if it comes twice).
    const toParse = new Set<string>();
    for (const s of this.statements) if (s.name && connection.parsedStatements[s.name] !== s.text) toParse.add(s.name);
    if (toParse.size) {
      this.parses = [];
      this.connection = connection;
      connection.on('parseComplete', this.parseComplete);
    }
    connection.stream.cork?.();
    try {
      this.statements.forEach((s, i) => {
        if (!s.name || toParse.delete(s.name)) {
          connection.parse({ text: s.text, name: s.name });
          this.parses?.push({ name: s.name, text: s.text });
        }
        connection.bind({ statement: s.name, values: values[i], resultFormats: s.resultFormats });
        connection.describe({ type: 'P', name: '' });
        connection.execute({});
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: unknown): void {
    this.queries[this.current].handleRowDescription(message);
  }

  handleDataRow(message: unknown): void {
    this.queries[this.current].handleDataRow(message);
  }

  handleCommandComplete(message: unknown, connection: WireConnection): void {
    this.queries[this.current++].handleCommandComplete(message, connection);
  }

  handleEmptyQuery(): void {
    this.current++;
  }

  /** The statement at fault fails; those before it have their rows (if anything was sent), the others never ran. */
  handleError(error: Error, connection: WireConnection): void {
    this.stopTrackingParses();
    const fault = this.unsendable ?? this.current;
    this.queries.forEach((query, i) => {
      if (i === fault) query.handleError(error, connection);
      else if (i < fault && this.unsendable === undefined) query.handleReadyForQuery(connection);
      else query.callback?.(new Error('Not run: another statement of the same round trip failed', { cause: error }));
    });
  }

  handleReadyForQuery(connection: WireConnection): void {
    this.stopTrackingParses();
    for (const query of this.queries) query.handleReadyForQuery(connection);
  }

  private stopTrackingParses(): void {
    this.connection?.off('parseComplete', this.parseComplete);
    this.connection = undefined;
  }

  // Not sent by the statements a pipeline carries (no COPY, no row limit); the query refuses them as pg does.
  handleCopyInResponse(connection: WireConnection): void {
    this.queries[this.current].handleCopyInResponse(connection);
  }

  handleCopyData(message: unknown, connection: WireConnection): void {
    this.queries[this.current].handleCopyData(message, connection);
  }

  handlePortalSuspended(connection: WireConnection): void {
    this.queries[this.current].handlePortalSuspended(connection);
  }
}

/** Sends `statements` in one round trip; each settles with its rows or its error. */
export function sendPipelined(client: PipelineClient, statements: readonly PipelinedStatement[]): { readonly sent: boolean } {
  const pipeline = new Pipeline(statements, client._types);
  client.query(pipeline);
  return pipeline;
}
