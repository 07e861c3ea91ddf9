import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { currentPrices, priceHistory, requirePrice, setModelPrice, type CurrentPrice, type ModelPriceUpdate } from "./prices";
import { catalogEntry } from "./registry";

/**
 * The price table as admins and the API see it (GET /models, GET and PUT /models/{modelId}):
 * each model's price in force, where it comes from, whether it can run here, and its history.
 */
function present(entry: CurrentPrice) {
  const model = catalogEntry(entry);
  return {
    id: model.id,
    provider: model.provider,
    available: model.available,
    unavailableReason: model.unavailableReason,
    inputUsdPerMTok: model.price.inputPerMTokUsd,
    outputUsdPerMTok: model.price.outputPerMTokUsd,
    version: model.version,
    note: model.note,
    checkedOn: model.checkedOn,
    updatedAt: model.updatedAt,
    updatedBy: model.updatedBy,
  };
}
export type ModelView = ReturnType<typeof present>;

export async function listModels(actor: UserActor): Promise<ModelView[]> {
  await assertCan(actor, "policies:manage");
  return (await currentPrices()).map(present);
}

export async function getModel(actor: UserActor, modelId: string) {
  await assertCan(actor, "policies:manage");
  const price = await requirePrice(modelId);
  return { ...present(price), history: await priceHistory(modelId) };
}

export async function updateModelPrice(actor: UserActor, modelId: string, input: ModelPriceUpdate) {
  const saved = await setModelPrice(actor, modelId, input);
  return { ...present(saved), history: await priceHistory(modelId) };
}
