import { z } from "zod";
import { jsonResponse } from "@/lib/api/json-response";
import { log } from "@/lib/log";

/**
 * Typed application errors, and the one place that turns any thrown value into an HTTP
 * response or a server-action result. Domain code throws these; routes never build error
 * bodies by hand.
 */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "invalid"
  | "too_many_requests"
  | "internal"
  | "storage_unavailable";

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid: 422,
  too_many_requests: 429,
  internal: 500,
  storage_unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError("bad_request", message, details);
export const unauthorized = (message = "Sign in or send a valid API token.") => new AppError("unauthorized", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);
export const conflict = (message: string, details?: unknown) => new AppError("conflict", message, details);
export const invalid = (message: string, details?: unknown) => new AppError("invalid", message, details);
export const tooManyRequests = (message: string) => new AppError("too_many_requests", message);

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/** Flattens zod issues into `{ path, message }` pairs a client can show next to fields. */
export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    const issues = zodIssues(error);
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return invalid(`The request is not valid: ${summary}`, issues);
  }
  if (isPrismaKnownError(error)) {
    if (error.code === "P2025") return notFound("The record");
    if (error.code === "P2002") return conflict("A record with the same unique value already exists.");
    if (error.code === "P2003") return invalid("The request refers to a record that does not exist.");
  }
  if (isStorageFailure(error)) {
    log().error({ err: error }, "storage unavailable");
    return new AppError(
      "storage_unavailable",
      "The database cannot store changes right now (disk full, read-only or unreachable). Nothing was saved; try again once it is fixed.",
    );
  }
  log().error({ err: error }, "unexpected error");
  return new AppError("internal", "Something went wrong on our side. The error was logged.");
}

/** SQLite result codes (extended codes start with these) that mean the storage, not the request, failed. */
const sqliteStorageCode = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/;
/** Prisma's codes for an unreachable or vanished database server, or an exhausted pool. */
const prismaConnectionCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
/** PostgreSQL SQLSTATEs: connection exceptions, insufficient resources (disk full), shutdown, I/O, read-only. */
const postgresStorageState = /^(08|53|58|57P0[1-3]$|25006$)/;

/**
 * True when a thrown value says the database could not store or reach data: SQLite's own error,
 * Prisma's wrapper of it (same `code`), or a driver adapter error whose cause names it.
 */
export function isStorageFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const { code, kind, originalCode, cause, meta } = error as Record<string, unknown>;
  if (typeof code === "string" && (sqliteStorageCode.test(code) || prismaConnectionCodes.has(code))) return true;
  if (kind === "postgres" && typeof code === "string" && postgresStorageState.test(code)) return true;
  if (kind === "DatabaseNotReachable" || kind === "ConnectionClosed" || kind === "TooManyConnections") return true;
  if (typeof originalCode === "string" && sqliteStorageCode.test(originalCode)) return true;
  const adapterError = typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>).driverAdapterError : undefined;
  return isStorageFailure(cause, depth + 1) || isStorageFailure(adapterError, depth + 1);
}

function isPrismaKnownError(error: unknown): error is { code: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    typeof (error as { code: unknown }).code === "string" &&
    /^P\d{4}$/.test((error as { code: string }).code)
  );
}

export function errorBody(error: AppError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return jsonResponse(errorBody(appError), { status: appError.status });
}

export type ActionResult<T = void> = { ok: true; data: T } | { ok: false; error: ErrorBody["error"] };

/** Server actions return this shape instead of throwing, so forms can show the message. */
export function actionError(error: unknown): ActionResult<never> {
  return { ok: false, error: errorBody(toAppError(error)).error };
}
