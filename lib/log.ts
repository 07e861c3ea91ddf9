import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Level, type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Structured server logs: one JSON line per event on stdout, for whatever collects the
 * process's output. Fields of the surrounding request or run (requestId, userId, runId,
 * stepRunId) are added to every line logged inside it (withLogContext). Secrets never reach a
 * line: values under the keys below are replaced at any of the first three levels of a logged
 * object, and token-shaped text in messages, errors and the text fields of a logged object is masked.
 */
export type LogContext = { requestId?: string; userId?: string; runId?: string; stepRunId?: string };

const SECRET_KEYS = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "password",
  "newPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "tokenHash",
  "apiKey",
  "api_key",
];

/** `key`, `*.key`, `*.*.key`, in bracket form for keys that are not identifiers (set-cookie). */
const redactPaths = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const joined = segment.startsWith("[") ? segment : `.${segment}`;
  return [segment, `*${joined}`, `*.*${joined}`];
});

/** Credentials after an auth scheme, API tokens (cs_...) and provider keys (sk-...), in free text. */
export function maskSecrets(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]")
    .replace(/\b(cs_|sk-)[A-Za-z0-9_-]{8,}/g, "[redacted]");
}

const context = new AsyncLocalStorage<LogContext>();

/**
 * A message, or the text fields of a logged object (a provider's error quoted in `error`), with
 * token-shaped text masked; errors are masked by their serializer, other values pass as they are.
 */
function maskArgument(arg: unknown): unknown {
  if (typeof arg === "string") return maskSecrets(arg);
  if (typeof arg !== "object" || arg === null || arg instanceof Error || Array.isArray(arg)) return arg;
  const entries = Object.entries(arg);
  if (!entries.some(([, value]) => typeof value === "string")) return arg;
  return Object.fromEntries(entries.map(([key, value]) => [key, typeof value === "string" ? maskSecrets(value) : value]));
}

/** Logs an error with its message and stack masked (a provider's message may quote a header). */
function serializeError(error: unknown) {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  for (const field of ["message", "stack"]) {
    if (typeof serialized[field] === "string") serialized[field] = maskSecrets(serialized[field]);
  }
  return serialized;
}

export function createLogger(options: { level?: Level | "silent"; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? env().LOG_LEVEL ?? (env().NODE_ENV === "test" ? "warn" : "info"),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: "[redacted]" },
      serializers: { err: serializeError },
      mixin: () => ({ ...context.getStore() }),
      hooks: {
        logMethod(args, method) {
          const masked = args.map(maskArgument);
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    // process.stdout rather than a file descriptor of its own, so output interleaves with
    // everything else the process prints and tests can read it.
    options.destination ?? process.stdout,
  );
}

let root: Logger | undefined;

/** The process's logger, created at first use (after the environment is read). */
export function log(): Logger {
  return (root ??= createLogger());
}

/** Runs `work` with these fields on every line it logs, including in what it awaits. */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, work);
}

/** Adds fields to the current context once they are known (the user, after authentication). */
export function addLogContext(fields: LogContext): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
}
