"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import { updateModelPrice } from "@/lib/models/service";

/** A price typed in a form: text that must be a number; the price table's own schema checks its range. */
const amount = (field: string) => z.union([z.number(), z.string().trim().min(1, `enter the ${field} price`).transform(Number)]);

// A price change is saved only with its why: the version history is read by people who were not there.
export const updateModelPriceAction = action(
  z.object({
    modelId: z.string().trim().min(1, "name the model, e.g. compat:llama3.1"),
    inputUsdPerMTok: amount("input"),
    outputUsdPerMTok: amount("output"),
    reason: z.string().trim().min(1, "say where the price comes from or why it changes").max(500, "use at most 500 characters"),
  }),
  granted("policies:manage"),
  async (actor, { modelId, ...update }) => {
    const saved = await updateModelPrice(actor, modelId, update);
    return { id: saved.id, version: saved.version };
  },
  { revalidate: ["/admin/models", "/admin/policies"] },
);
