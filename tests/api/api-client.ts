import { expect } from "vitest";
import { z } from "zod";
import * as catchAll from "@/app/api/v1/[...rest]/route";
import * as audit from "@/app/api/v1/audit/route";
import * as openApi from "@/app/api/v1/openapi.json/route";
import * as artifacts from "@/app/api/v1/projects/[id]/artifacts/route";
import * as runs from "@/app/api/v1/projects/[id]/runs/route";
import * as sources from "@/app/api/v1/projects/[id]/sources/route";
import * as source from "@/app/api/v1/projects/[id]/sources/[sourceId]/route";
import * as stage from "@/app/api/v1/projects/[id]/stages/[key]/route";
import * as signOff from "@/app/api/v1/projects/[id]/stages/[key]/sign-off/route";
import * as stages from "@/app/api/v1/projects/[id]/stages/route";
import * as projects from "@/app/api/v1/projects/route";
import * as decision from "@/app/api/v1/review-items/[id]/decision/route";
import * as reviewClaim from "@/app/api/v1/review-items/[id]/claim/route";
import * as reviewUndo from "@/app/api/v1/review-items/[id]/undo/route";
import * as adjudication from "@/app/api/v1/review-items/[id]/adjudication/route";
import * as bulkDecision from "@/app/api/v1/review-items/bulk-decision/route";
import * as reviewItems from "@/app/api/v1/review-items/route";
import * as run from "@/app/api/v1/runs/[id]/route";
import * as runEvents from "@/app/api/v1/runs/[id]/events/route";
import * as stepRun from "@/app/api/v1/step-runs/[id]/route";
import * as liveCounts from "@/app/api/v1/events/route";
import * as policies from "@/app/api/v1/policies/route";
import * as policy from "@/app/api/v1/policies/[stepKey]/route";
import * as whatIf from "@/app/api/v1/policies/[stepKey]/what-if/route";
import * as calibration from "@/app/api/v1/steps/[stepKey]/calibration/route";
import * as revisions from "@/app/api/v1/artifacts/[id]/revisions/route";
import * as artifactVersions from "@/app/api/v1/artifacts/[id]/versions/route";
import * as traceability from "@/app/api/v1/projects/[id]/traceability/route";
import * as projectExport from "@/app/api/v1/projects/[id]/export/route";
import * as insights from "@/app/api/v1/insights/route";
import * as models from "@/app/api/v1/models/route";
import * as model from "@/app/api/v1/models/[modelId]/route";
import * as project from "@/app/api/v1/projects/[id]/route";
import * as runBudget from "@/app/api/v1/runs/[id]/budget/route";
import * as approveOverspend from "@/app/api/v1/runs/[id]/approve-overspend/route";
import * as delegations from "@/app/api/v1/delegations/route";
import * as delegation from "@/app/api/v1/delegations/[id]/route";
import * as notifications from "@/app/api/v1/notifications/route";
import * as notificationsRead from "@/app/api/v1/notifications/read/route";
import * as notificationPreferences from "@/app/api/v1/me/notification-preferences/route";
import * as outboundEmails from "@/app/api/v1/admin/emails/route";
import * as webhooks from "@/app/api/v1/webhooks/route";
import * as webhook from "@/app/api/v1/webhooks/[id]/route";
import * as webhookDeliveries from "@/app/api/v1/webhooks/[id]/deliveries/route";
import * as redeliver from "@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route";
import { endpoints, errorSchema, type EndpointName } from "@/lib/api/schemas";
import { systemActor } from "@/lib/actors";
import { createTokenForEmail } from "@/lib/tokens/service";
import { insertUser } from "@/lib/users/service";

/**
 * Calls the route handlers the way Next.js does (a Request and a params promise), with no
 * server. Every answer is checked against its documented schema: successes against the
 * endpoint's strict response schema, failures against the error schema.
 */
type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Response | Promise<Response>;
type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

export const routeFiles: Record<EndpointName, RouteModule> = {
  listProjects: projects,
  createProject: projects,
  listSources: sources,
  addSource: sources,
  updateSource: source,
  removeSource: source,
  startRun: runs,
  getRun: run,
  getStepRun: stepRun,
  getRunEvents: runEvents,
  getLiveCounts: liveCounts,
  listArtifacts: artifacts,
  listReviewItems: reviewItems,
  decideReviewItem: decision,
  claimReviewItem: reviewClaim,
  releaseReviewItem: reviewClaim,
  undoReviewDecision: reviewUndo,
  adjudicateReviewItem: adjudication,
  bulkDecideReviewItems: bulkDecision,
  listStages: stages,
  updateStage: stage,
  signOffStage: signOff,
  listAuditEvents: audit,
  listPolicies: policies,
  getPolicy: policy,
  updatePolicy: policy,
  whatIfPolicy: whatIf,
  getStepCalibration: calibration,
  refitStepCalibration: calibration,
  openApiDocument: openApi,
  reviseArtifact: revisions,
  listArtifactVersions: artifactVersions,
  getTraceability: traceability,
  exportProject: projectExport,
  getInsights: insights,
  listModels: models,
  getModel: model,
  updateModelPrice: model,
  updateProject: project,
  setRunBudget: runBudget,
  approveOverspend,
  listDelegations: delegations,
  createDelegation: delegations,
  revokeDelegation: delegation,
  listNotifications: notifications,
  markNotificationsRead: notificationsRead,
  getNotificationPreferences: notificationPreferences,
  updateNotificationPreferences: notificationPreferences,
  listOutboundEmails: outboundEmails,
  listWebhooks: webhooks,
  createWebhook: webhooks,
  updateWebhook: webhook,
  deleteWebhook: webhook,
  listWebhookDeliveries: webhookDeliveries,
  redeliverWebhookDelivery: redeliver,
};

type Endpoints = typeof endpoints;
type CallInput = {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  json?: unknown;
};
export type ApiError = z.output<typeof errorSchema>["error"];

/** Finds the route file for a path, as Next.js would; unknown paths reach the catch-all route. */
function route(method: HttpMethod, pathname: string): { handler: RouteHandler; params: Record<string, string | string[]> } {
  const segments = pathname.replace(/^\/api\/v1/, "").split("/").filter(Boolean);
  for (const [name, endpoint] of Object.entries(endpoints) as [EndpointName, Endpoint][]) {
    const template = endpoint.path.split("/").filter(Boolean);
    if (template.length !== segments.length || endpoint.method.toUpperCase() !== method) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name) params[name] = decodeURIComponent(segments[i]);
      return name !== undefined || part === segments[i];
    });
    const handler = routeFiles[name][method];
    if (matches && handler) return { handler, params };
  }
  return { handler: catchAll[method], params: { rest: segments } };
}
type Endpoint = Endpoints[EndpointName];

export type RawResponse = { status: number; body: unknown };

export function api(token?: string) {
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

  /** Any request at all, for the malformed ones: the body and headers are sent as given. */
  async function raw(method: HttpMethod, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<RawResponse> {
    const request = new Request(`http://localhost/api/v1${path}`, { method, body: init.body, headers: { ...authorization, ...init.headers } });
    const { handler, params } = route(method, new URL(request.url).pathname);
    const response = await handler(request, { params: Promise.resolve(params) });
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body: unknown = await response.json();
    if (response.status >= 400) errorSchema.parse(body);
    return { status: response.status, body };
  }

  async function call(name: EndpointName, input: CallInput = {}): Promise<RawResponse> {
    const endpoint: Endpoint = endpoints[name];
    const path = endpoint.path.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(input.params?.[param] ?? ""));
    const query = new URLSearchParams(Object.entries(input.query ?? {}).map(([key, value]) => [key, String(value)])).toString();
    return raw(endpoint.method.toUpperCase() as HttpMethod, query ? `${path}?${query}` : path, {
      ...(input.json === undefined ? {} : { body: JSON.stringify(input.json), headers: { "content-type": "application/json" } }),
    });
  }

  return {
    raw,
    call,
    /** Expects the endpoint's success status; returns the body, parsed with its documented schema. */
    async ok<N extends EndpointName>(name: N, input?: CallInput): Promise<z.output<Endpoints[N]["response"]>> {
      const { status, body } = await call(name, input);
      expect(status, JSON.stringify(body)).toBe(endpoints[name].status);
      return endpoints[name].response.parse(body) as z.output<Endpoints[N]["response"]>;
    },
    /** Expects the given error status; returns the error. */
    async fails(name: EndpointName, input: CallInput, status: number): Promise<ApiError> {
      const response = await call(name, input);
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      return errorSchema.parse(response.body).error;
    },
  };
}

export type Caller = { email: string; token: string };

/** A user with an API token, as a script or CI job would call the API. */
export async function makeCaller(email: string, role: "admin" | "member" = "member"): Promise<Caller> {
  await insertUser(systemActor("test"), { email, name: email.split("@")[0], password: "correct horse battery", role });
  const { secret } = await createTokenForEmail(systemActor("test"), email, "API test");
  return { email, token: secret };
}
