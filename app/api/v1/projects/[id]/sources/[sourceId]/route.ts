import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { removeSource, updateSource } from "@/lib/sources/service";

export const PATCH = handle(endpoints.updateSource, ({ actor, params, body }) => updateSource(actor, params.id, params.sourceId, body));

export const DELETE = handle(endpoints.removeSource, ({ actor, params }) => removeSource(actor, params.id, params.sourceId));

export * from "@/lib/api/other-methods";
