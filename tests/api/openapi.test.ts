import { describe, expect, it, vi } from "vitest";
import { endpoints, type EndpointName } from "@/lib/api/schemas";
import { MAX_SOURCE_CHARS } from "@/lib/sources/schema";
import { api, routeFiles } from "./api-client";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./next-auth-without-session")) }));

type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }>;
};
type SchemaObject = { properties?: Record<string, { maxLength?: number; enum?: string[] }>; required?: string[] };
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject>; securitySchemes: Record<string, { type: string; scheme: string }> };
};

async function fetchDocument(): Promise<Document> {
  const { status, body } = await api().raw("GET", "/openapi.json");
  expect(status).toBe(200);
  return body as Document;
}

function schemaOf(document: Document, ref: string): SchemaObject {
  return document.components.schemas[ref.replace("#/components/schemas/", "")];
}

describe("GET /api/v1/openapi.json", () => {
  it("is served without authentication and declares bearer auth for everything else", async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.paths["/openapi.json"].get.security).toEqual([]);
  });

  it("documents every route, and every documented route has a handler", async () => {
    const document = await fetchDocument();
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(
      [
        "GET /audit",
        "GET /insights",
        "GET /models",
        "GET /models/{modelId}",
        "PUT /models/{modelId}",
        "PATCH /projects/{id}",
        "PUT /runs/{id}/budget",
        "POST /runs/{id}/approve-overspend",
        "GET /openapi.json",
        "GET /policies",
        "GET /policies/{stepKey}",
        "PATCH /policies/{stepKey}",
        "POST /policies/{stepKey}/what-if",
        "GET /steps/{stepKey}/calibration",
        "POST /steps/{stepKey}/calibration",
        "GET /projects",
        "GET /projects/{id}/artifacts",
        "POST /artifacts/{id}/revisions",
        "GET /artifacts/{id}/versions",
        "GET /projects/{id}/traceability",
        "GET /projects/{id}/export",
        "GET /projects/{id}/sources",
        "GET /projects/{id}/stages",
        "GET /review-items",
        "GET /runs/{id}",
        "GET /runs/{id}/events",
        "GET /step-runs/{id}",
        "GET /events",
        "POST /projects",
        "POST /projects/{id}/runs",
        "POST /projects/{id}/sources",
        "PATCH /projects/{id}/sources/{sourceId}",
        "DELETE /projects/{id}/sources/{sourceId}",
        "POST /projects/{id}/stages/{key}/sign-off",
        "POST /review-items/{id}/decision",
        "POST /review-items/{id}/claim",
        "DELETE /review-items/{id}/claim",
        "POST /review-items/{id}/undo",
        "POST /review-items/{id}/adjudication",
        "POST /review-items/bulk-decision",
        "PUT /projects/{id}/stages/{key}",
        "GET /delegations",
        "POST /delegations",
        "DELETE /delegations/{id}",
        "GET /notifications",
        "POST /notifications/read",
        "GET /me/notification-preferences",
        "PUT /me/notification-preferences",
        "GET /admin/emails",
        "GET /webhooks",
        "POST /webhooks",
        "PATCH /webhooks/{id}",
        "DELETE /webhooks/{id}",
        "GET /webhooks/{id}/deliveries",
        "POST /webhooks/{id}/deliveries/{deliveryId}/redeliver",
      ].sort(),
    );
    for (const [name, endpoint] of Object.entries(endpoints) as [EndpointName, (typeof endpoints)[EndpointName]][]) {
      expect(routeFiles[name][endpoint.method.toUpperCase() as "GET" | "POST" | "PUT" | "PATCH" | "DELETE"], name).toBeTypeOf("function");
    }
  });

  it("renders request bodies and query parameters from the schemas the routes parse with", async () => {
    const document = await fetchDocument();
    const addSource = document.paths["/projects/{id}/sources"].post;
    const body = schemaOf(document, addSource.requestBody!.content["application/json"].schema.$ref);
    expect(body.required).toEqual(["title", "text"]);
    expect(body.properties!.text.maxLength).toBe(MAX_SOURCE_CHARS);
    expect(body.properties!.kind.enum).toContain("interview");

    const decide = document.paths["/review-items/{id}/decision"].post;
    const decision = schemaOf(document, decide.requestBody!.content["application/json"].schema.$ref);
    expect(decision.properties!.action.enum).toEqual(["approve", "edit", "reject", "resolve"]);

    expect(document.paths["/projects/{id}/stages/{key}/sign-off"].post.requestBody!.required).toBe(false);
    expect(document.paths["/projects"].post.requestBody!.required).toBe(true);

    const queue = document.paths["/review-items"].get.parameters!;
    expect(queue.map((p) => `${p.in}:${p.name}`)).toEqual(["query:projectId", "query:stage", "query:kind", "query:status", "query:limit", "query:cursor", "query:skipClaimed", "query:artifactKind", "query:reason", "query:sort", "query:waitingHours", "query:mine"]);
    const stagePath = document.paths["/projects/{id}/stages/{key}"].put.parameters!;
    expect(stagePath.filter((p) => p.in === "path" && p.required).map((p) => p.name)).toEqual(["id", "key"]);
  });

  it("names response and error schemas as components and documents errors per route", async () => {
    const document = await fetchDocument();
    for (const name of ["Error", "Project", "Source", "Run", "Step", "Artifact", "ReviewItem", "ReviewDecision", "Stage", "SignOff", "AuditEvent"]) {
      expect(document.components.schemas[name], name).toBeDefined();
    }
    expect(document.components.schemas.Run.required).toEqual(expect.arrayContaining(["id", "status", "steps", "costUsd"]));

    const decide = document.paths["/review-items/{id}/decision"].post;
    expect(Object.keys(decide.responses).sort()).toEqual(["200", "400", "401", "403", "404", "409", "422"]);
    expect(decide.responses["409"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    expect(Object.keys(document.paths["/projects/{id}/runs"].post.responses)).toContain("202");
    expect(Object.keys(document.paths["/projects/{id}/stages/{key}/sign-off"].post.responses)).toEqual(
      expect.arrayContaining(["201", "403", "409"]),
    );
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item)) {
        if (path !== "/openapi.json") expect(operation.responses["401"], `${path} documents 401`).toBeDefined();
      }
    }
  });
});
