import { createHash } from "node:crypto";
import pg from "pg";

/**
 * The PostgreSQL pool the app connects through, whose connections prepare each statement once.
 *
 * Prisma's driver adapter sends every statement unnamed, so PostgreSQL parses and plans it
 * anew on each call. Planning the decision's one read (a dozen joins and subqueries) took
 * 2.6 ms of PostgreSQL's CPU, more than running it and the decision's writes together
 * (`npm run bench:scale`, PostgreSQL's statement log). A named statement is parsed once per
 * connection and, once PostgreSQL sees that a generic plan costs no more than the custom ones,
 * planned once too.
 *
 * Only statements with parameters are named: those without (BEGIN, COMMIT, scripts) keep the
 * simple protocol. A connection keeps at most MAX_NAMED statements; the rest run unnamed as
 * before. A pooler that cannot keep prepared statements across transactions (PgBouncer in
 * transaction mode before 1.21) is declared the way Prisma's own engine is told, with
 * `?pgbouncer=true` on DATABASE_URL, and then nothing is named.
 */
export function statementPreparingPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString });
  if (!namesStatements(connectionString)) return pool;
  pool.on("connect", (client) => nameStatements(client));
  return pool;
}

/** Distinct statements prepared per connection; the app sends a few hundred. */
export const MAX_NAMED = 400;

function namesStatements(connectionString: string): boolean {
  try {
    return new URL(connectionString).searchParams.get("pgbouncer") !== "true";
  } catch {
    return true;
  }
}

/** The name a statement is prepared under: the same text always gets the same name. */
export function statementName(text: string): string {
  return `cs_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
}

type QueryConfig = pg.QueryConfig & { name?: string };

/** Gives each parameterised statement a name (its text's hash) on this connection. */
export function nameStatements(client: pg.PoolClient | pg.Client): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = new Set<string>();
  // Statements whose prepared form PostgreSQL refused (a table changed shape under it): run unnamed from then on.
  const refused = new Set<string>();
  client.query = ((config: unknown, ...rest: unknown[]) => {
    if (!isParameterised(config) || refused.has(config.text)) return query(config, ...rest);
    const name = statementName(config.text);
    if (!named.has(name)) {
      if (named.size >= MAX_NAMED) return query(config, ...rest);
      named.add(name);
    }
    const noteRefusal = (error: unknown) => {
      if (isStalePlan(error)) refused.add(config.text);
    };
    // The pool passes a callback; a transaction's connection is awaited.
    const args = rest.map((arg) => (typeof arg === "function" ? (error: unknown, ...results: unknown[]) => (noteRefusal(error), arg(error, ...results)) : arg));
    const result = query({ ...config, name }, ...args);
    if (result instanceof Promise) result.catch(noteRefusal);
    return result;
  }) as typeof client.query;
}

function isParameterised(config: unknown): config is QueryConfig {
  if (typeof config !== "object" || config === null) return false;
  const { text, name, values } = config as QueryConfig;
  return typeof text === "string" && name === undefined && Array.isArray(values) && values.length > 0;
}

/** PostgreSQL's "cached plan must not change result type": a table a prepared statement reads changed its columns. */
function isStalePlan(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === "0A000" && typeof message === "string" && message.includes("cached plan");
}
