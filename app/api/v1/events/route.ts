import { handleEvents } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { countEvents } from "@/lib/runs/events";

export const GET = handleEvents(endpoints.getLiveCounts, async ({ actor, query }, { signal, lastEventId }) =>
  countEvents(actor, { signal, since: lastEventId ?? query.since }),
);

export * from "@/lib/api/other-methods";
