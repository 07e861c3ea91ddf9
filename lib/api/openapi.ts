import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { endpoints, errorSchema, MAX_BODY_BYTES, type Endpoint } from "./schemas";

type OpenApiDocument = ReturnType<typeof createDocument>;
let rendered: OpenApiDocument | undefined;

/**
 * The OpenAPI 3.1 document of /api/v1, rendered from the endpoint table the routes themselves
 * use (lib/api/schemas.ts), so request schemas here are the ones requests are parsed with.
 */
export function openApiDocument(): OpenApiDocument {
  return (rendered ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "Countersign API",
      version: "1",
      description:
        "AI drafts requirements from stakeholder notes; rules route risky drafts to people; reviewers approve, edit or reject; stage owners sign off. Authenticate with a personal API token: `Authorization: Bearer cs_...`.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A personal API token (cs_...), created on the Tokens page or with the CLI." },
      },
      schemas: requestBodySchemas(Object.entries(endpoints)),
    },
    paths: pathsOf(Object.entries(endpoints)),
  }));
}

function pathsOf(entries: [string, Endpoint][]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, endpoint] of entries) {
    paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method]: operationOf(name, endpoint) };
  }
  return paths;
}

/** Request bodies as named components too, e.g. CreateProjectRequest, for client generators. */
function requestBodySchemas(entries: [string, Endpoint][]) {
  return Object.fromEntries(
    entries.flatMap(([name, endpoint]) => (endpoint.body ? [[`${name[0].toUpperCase()}${name.slice(1)}Request`, endpoint.body]] : [])),
  );
}

function operationOf(name: string, endpoint: Endpoint): ZodOpenApiOperationObject {
  return {
    operationId: name,
    summary: endpoint.summary,
    ...(endpoint.public ? { security: [] } : {}),
    requestParams: {
      ...(endpoint.params ? { path: endpoint.params } : {}),
      ...(endpoint.query ? { query: endpoint.query } : {}),
    },
    ...(endpoint.body
      ? {
          requestBody: {
            // A body its schema accepts as absent (a sign-off's optional comment) is optional.
            required: !endpoint.body.safeParse(undefined).success,
            content: { "application/json": { schema: endpoint.body } },
          },
        }
      : {}),
    responses: {
      [endpoint.status]: endpoint.downloads
        ? { description: "Success. The text media types are files to save (Content-Disposition: attachment), chosen with the format query parameter.", content: downloadContent(endpoint) }
        : { description: "Success", content: { [endpoint.events ? "text/event-stream" : "application/json"]: { schema: endpoint.response } } },
      ...errorResponses(endpoint),
    },
  };
}

/** An endpoint that answers with files: its JSON form as its schema says, and each text format as a string described in words. */
function downloadContent(endpoint: Endpoint) {
  const content: Record<string, { schema: z.ZodType }> = { "application/json": { schema: endpoint.response } };
  for (const [mediaType, description] of Object.entries(endpoint.downloads ?? {})) {
    if (mediaType !== "application/json") content[mediaType] = { schema: z.string().meta({ description }) };
  }
  return content;
}

function errorResponses(endpoint: Endpoint) {
  const malformed = endpoint.body
    ? `The body is not JSON, not sent as application/json, larger than ${MAX_BODY_BYTES / 1_000_000} MB, or holds text that cannot be stored (NUL, unpaired surrogates).`
    : "A path segment or query parameter holds text that cannot be stored (NUL, unpaired surrogates).";
  const descriptions: Partial<Record<number, string>> = {
    ...(endpoint.body || endpoint.query || endpoint.params ? { 400: malformed } : {}),
    ...(endpoint.public ? {} : { 401: "No valid API token and no session." }),
    ...(endpoint.params ? { 404: "A path segment names nothing that exists." } : {}),
    ...(endpoint.body || endpoint.query ? { 422: "The input does not match the schema; details lists each field." } : {}),
    ...endpoint.errors,
  };
  return Object.fromEntries(
    Object.entries(descriptions).map(([status, description]) => [
      status,
      { description, content: { "application/json": { schema: errorSchema } } },
    ]),
  );
}
