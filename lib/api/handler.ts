import { z } from "zod";
import type { UserActor } from "@/lib/actors";
import { actorFromRequest } from "@/lib/auth";
import { AppError, badRequest, errorResponse, forbidden, zodIssues } from "@/lib/errors";
import { noEndpointResponse } from "@/lib/security/api-errors";
import { hasSessionCookie, sessionRefusal } from "@/lib/security/same-origin";
import { assertStorableStrings, assertStorableText } from "@/lib/storable-text";
import { assertGranted } from "@/lib/access";
import { addLogContext, log, withLogContext } from "@/lib/log";
import { jsonResponse } from "./json-response";
import { MAX_BODY_BYTES, type DownloadMediaType, type Endpoint } from "./schemas";

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export type ApiRequest<E extends Endpoint> = {
  actor: E["public"] extends true ? null : UserActor;
  params: Parsed<E["params"]>;
  query: Parsed<E["query"]>;
  body: Parsed<E["body"]>;
};

/** The compiler checks the envelope (keys, list or object); the API tests check every field. */
type ResponseEnvelope<E extends Endpoint> =
  z.output<E["response"]> extends readonly unknown[] ? readonly unknown[] : { [Key in keyof z.output<E["response"]>]: unknown };

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * The one way into an /api/v1 route: authenticate (a session only from the app's own pages),
 * parse path, query and body with the endpoint's schemas, check the permission a mutation
 * declares (lib/api/authorization.ts), call the service, answer JSON with the endpoint's status. Anything thrown becomes an error body through lib/errors.ts, so no
 * request, however malformed, reaches the client as an unhandled 500.
 */
export function handle<E extends Endpoint>(endpoint: E, run: (input: ApiRequest<E>) => Promise<ResponseEnvelope<E> | DownloadOf<E>>) {
  return answer(async (request, context) => {
    const input = await accept(endpoint, request, context);
    const result = await run(input);
    return result instanceof Download ? downloadResponse(result, endpoint.status) : jsonResponse(result, { status: endpoint.status });
  });
}

/**
 * A file a route answers with instead of a JSON body (an export, a CSV), for an endpoint that
 * declares its media type in `downloads`: sent as an attachment under its name.
 */
export class Download {
  constructor(
    readonly mediaType: DownloadMediaType,
    readonly filename: string,
    readonly body: string,
  ) {}
}

type DownloadOf<E extends Endpoint> = E["downloads"] extends object ? Download : never;

function downloadResponse(file: Download, status: number): Response {
  // Names come from lib code, but a quote or line break would still break the header: keep a safe subset.
  const filename = file.filename.replace(/[^\w.-]+/g, "-");
  return new Response(file.body, {
    status,
    headers: {
      "content-type": `${file.mediaType}; charset=utf-8`,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}

/**
 * The same way in for an endpoint that answers with Server-Sent Events: the same checks, then
 * the stream `open` returns. Errors before the stream starts are JSON like everywhere else.
 */
export function handleEvents<E extends Endpoint & { events: true }>(endpoint: E, open: (input: ApiRequest<E>, client: EventClient) => Promise<ReadableStream<Uint8Array>>) {
  return answer(async (request, context) => {
    const lastEventId = request.headers.get("last-event-id");
    const client = { signal: request.signal, lastEventId: lastEventId && EVENT_ID.test(lastEventId) ? lastEventId : undefined };
    const stream = await open(await accept(endpoint, request, context), client);
    return new Response(stream, {
      status: endpoint.status,
      // no-transform keeps compressing proxies (and Next's own compression) from holding events back.
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
    });
  });
}

/** The client's side of an event stream: it going away, and the id of the last event it saw (when it reconnects). */
type EventClient = { signal: AbortSignal; lastEventId: string | undefined };

// Event ids are the versions lib/runs/event-stream.ts sends; anything else is ignored.
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

async function accept<E extends Endpoint>(endpoint: E, request: Request, context: RouteContext): Promise<ApiRequest<E>> {
  if (!endpoint.public) assertOwnPageIfSession(request);
  const actor = endpoint.public ? null : await actorFromRequest(request);
  if (actor) addLogContext({ userId: actor.userId });
  const params = endpoint.params ? parsePath(endpoint.params, await context.params, request) : undefined;
  const query = endpoint.query?.parse(queryOf(request));
  const body = endpoint.body ? endpoint.body.parse(await readJsonBody(request)) : undefined;
  if (endpoint.authorize) await assertGranted(actor!, await endpoint.authorize({ params, body, actor: actor! }));
  // The conditional types of ApiRequest cannot be narrowed from `endpoint` at compile time.
  return { actor, params, query, body } as ApiRequest<E>;
}

/**
 * Gives the request an id (the caller's x-request-id when it is a sane token, else a new one),
 * echoed in the response and on every log line logged while answering, maps anything thrown
 * to an error body, and logs one line for the request.
 */
function answer(respond: (request: Request, context: RouteContext) => Promise<Response>) {
  return (request: Request, context: RouteContext): Promise<Response> => {
    const requestId = requestIdOf(request);
    return withLogContext({ requestId }, async () => {
      const started = performance.now();
      let response: Response;
      try {
        response = await respond(request, context);
      } catch (error) {
        response = errorResponse(error);
      }
      response.headers.set("x-request-id", requestId);
      const line = { method: request.method, path: new URL(request.url).pathname, status: response.status, durationMs: Math.round(performance.now() - started) };
      if (response.status >= 500) log().error(line, "request failed");
      else log().info(line, "request");
      return response;
    });
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/**
 * For the catch-all route: a known path with another method answers 405 with `Allow`, an
 * unknown path 404, both JSON like every other route.
 */
export function unknownRoute(request: Request): Response {
  return noEndpointResponse(request.method, new URL(request.url).pathname);
}

/**
 * A browser attaches the session cookie to requests other sites make it send (forms, no-cors
 * fetches), so the session counts only for requests from the app's own pages. A Bearer token
 * is never attached by the browser and needs no such check.
 */
function assertOwnPageIfSession(request: Request): void {
  if (request.headers.has("authorization") || !hasSessionCookie(request.headers.get("cookie"))) return;
  const refusal = sessionRefusal(request);
  if (refusal) throw forbidden(refusal);
}

/** A path segment that fails its schema (an unknown stage key, say) names nothing: 404. */
function parsePath(schema: z.ZodObject, raw: Record<string, string | string[]>, request: Request) {
  for (const [name, value] of Object.entries(raw)) {
    for (const segment of [value].flat()) assertStorableText(segment, `The path segment ${name}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new AppError("not_found", `${new URL(request.url).pathname} names nothing that exists (${summary}).`, issues);
}

/**
 * Query parameters as an object. An empty value counts as absent (forms send `stage=` for
 * "any"); a repeated name becomes an array, which the schema then refuses.
 */
function queryOf(request: Request): Record<string, string | string[]> {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URL(request.url).searchParams) {
    if (value === "") continue;
    assertStorableText(value, `The query parameter ${name}`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.length === 1 ? list[0] : list]));
}

const tooLarge = () => badRequest(`The body is larger than ${MAX_BODY_BYTES / 1_000_000} MB.`);

/** The body as parsed JSON, or undefined when there is none (the schema decides if that is fine). */
async function readJsonBody(request: Request): Promise<unknown> {
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await readAtMost(request, MAX_BODY_BYTES);
  if (bytes.byteLength === 0) return undefined;
  assertJsonContentType(request.headers.get("content-type") ?? "");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("The body is not valid UTF-8.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  assertStorableStrings(body);
  return body;
}

/**
 * JSON is UTF-8 (RFC 8259); a body declared in another charset would be stored misread, so it
 * is refused rather than guessed at. Also keeps HTML forms, which cannot send JSON, out.
 */
function assertJsonContentType(contentType: string): void {
  const [type, ...parameters] = contentType.split(";").map((part) => part.trim());
  if (!/^application\/([\w.-]+\+)?json$/i.test(type)) {
    throw badRequest("Send the body as JSON, with the header 'Content-Type: application/json'.");
  }
  for (const parameter of parameters) {
    const [name, value = ""] = parameter.split("=", 2).map((part) => part.trim());
    const charset = value.replace(/^"(.*)"$/, "$1").toLowerCase();
    if (name.toLowerCase() === "charset" && charset !== "utf-8" && charset !== "utf8") {
      throw badRequest(`The body must be UTF-8; it was declared as charset=${value}. Send 'Content-Type: application/json' or 'application/json; charset=utf-8'.`);
    }
  }
}

async function readAtMost(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
}
