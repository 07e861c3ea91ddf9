import { handleEvents } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { runEvents } from "@/lib/runs/events";

export const GET = handleEvents(endpoints.getRunEvents, ({ actor, params, query }, { signal, lastEventId }) =>
  runEvents(actor, params.id, { signal, since: lastEventId ?? query.since }),
);

export * from "@/lib/api/other-methods";
