import { z } from "zod";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { invalid, notFound } from "@/lib/errors";
import type { PriceLookup } from "@/lib/runtime/contracts";
import { transact } from "@/lib/transaction";
import { modelIdSchemaMessage, parseModelId } from "./model-id";
import { priceFor, shippedPriceNote, shippedPrices, type ModelPrice } from "./pricing";

/**
 * The price table as data: per model, the newest ModelPriceVersion an admin saved, else the
 * shipped default (version 0, lib/models/pricing.ts). Every change is a new version with who and
 * why, and an audit event. Prices are read from the database for every call (one indexed row),
 * so a change made in any process applies to the very next call; there is no cache to go stale.
 */

const usdPerMTok = (field: string) =>
  z
    .number({ error: `${field} must be a number: US dollars per million tokens` })
    .min(0, `${field} cannot be negative`)
    .max(10_000, `${field} must be at most 10000 US dollars per million tokens`);

export const modelPriceUpdateSchema = z.strictObject({
  inputUsdPerMTok: usdPerMTok("inputUsdPerMTok"),
  outputUsdPerMTok: usdPerMTok("outputUsdPerMTok"),
  reason: z.string({ error: "reason must be text" }).trim().max(500, "use at most 500 characters for the reason").optional(),
});
export type ModelPriceUpdate = z.input<typeof modelPriceUpdateSchema>;

/** A model's price in force, with where it comes from. */
export type CurrentPrice = {
  modelId: string;
  price: ModelPrice;
  /** 0 for the shipped default */
  version: number;
  note: string | null;
  /** YYYY-MM-DD: when a shipped price was last compared with the provider's page, or the day an admin set it */
  checkedOn: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
};

type Client = Tx | ReturnType<typeof db>;
type VersionRow = {
  modelId: string;
  version: number;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  note: string | null;
  createdAt: Date;
  createdBy: { email: string } | null;
};

const versionSelect = {
  modelId: true,
  version: true,
  inputUsdPerMTok: true,
  outputUsdPerMTok: true,
  note: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

function fromVersion(row: VersionRow): CurrentPrice {
  return {
    modelId: row.modelId,
    price: { inputPerMTokUsd: row.inputUsdPerMTok, outputPerMTokUsd: row.outputUsdPerMTok },
    version: row.version,
    note: row.note,
    checkedOn: row.createdAt.toISOString().slice(0, 10),
    updatedAt: row.createdAt.toISOString(),
    updatedBy: row.createdBy?.email ?? null,
  };
}

/** Version 0: the shipped price, or free for self-hosted and offline models; null for a model nobody priced. */
function shippedDefault(modelId: string): CurrentPrice | null {
  const shipped = Object.hasOwn(shippedPrices, modelId) ? shippedPrices[modelId] : null;
  const price = shipped ?? priceFor(modelId);
  if (!price) return null;
  return {
    modelId,
    price: { inputPerMTokUsd: price.inputPerMTokUsd, outputPerMTokUsd: price.outputPerMTokUsd },
    version: 0,
    note: shipped ? shippedPriceNote(shipped) : "Free: a self-hosted or offline model, until an admin sets a price.",
    checkedOn: shipped?.checkedOn ?? null,
    updatedAt: null,
    updatedBy: null,
  };
}

export async function currentPrice(modelId: string, client: Client = db()): Promise<CurrentPrice | null> {
  const latest = await client.modelPriceVersion.findFirst({ where: { modelId }, orderBy: { version: "desc" }, select: versionSelect });
  return latest ? fromVersion(latest) : shippedDefault(modelId);
}

/** The price the call loop charges and budgets estimate with; null when the model has no price. */
export const priceOf: PriceLookup = async (modelId) => (await currentPrice(modelId))?.price ?? null;

/** Every model with a price: the shipped ones and any an admin priced, each at its newest version. */
export async function currentPrices(): Promise<CurrentPrice[]> {
  const versions = await db().modelPriceVersion.findMany({ orderBy: [{ modelId: "asc" }, { version: "desc" }], select: versionSelect });
  const newest = new Map<string, CurrentPrice>();
  for (const row of versions) if (!newest.has(row.modelId)) newest.set(row.modelId, fromVersion(row));
  const shipped = Object.keys(shippedPrices).map((id) => newest.get(id) ?? shippedDefault(id)!);
  const added = [...newest.values()].filter((price) => !Object.hasOwn(shippedPrices, price.modelId));
  return [...shipped, ...added];
}

export type PriceVersionView = { version: number; inputUsdPerMTok: number; outputUsdPerMTok: number; note: string | null; by: string | null; at: string | null };

/** A model's price versions, newest first, ending with the shipped default when there is one. */
export async function priceHistory(modelId: string): Promise<PriceVersionView[]> {
  const versions = await db().modelPriceVersion.findMany({ where: { modelId }, orderBy: { version: "desc" }, take: 50, select: versionSelect });
  const shipped = shippedDefault(modelId);
  return [...versions.map(fromVersion), ...(shipped ? [shipped] : [])].map((entry) => ({
    version: entry.version,
    inputUsdPerMTok: entry.price.inputPerMTokUsd,
    outputUsdPerMTok: entry.price.outputPerMTokUsd,
    note: entry.note,
    by: entry.updatedBy,
    at: entry.updatedAt,
  }));
}

/** Refuses an id that is not provider:model with a known provider. */
export function assertModelId(modelId: string): void {
  if (!parseModelId(modelId)) {
    throw invalid(`"${modelId}" is not a model id: ${modelIdSchemaMessage}.`, [{ path: "modelId", message: modelIdSchemaMessage }]);
  }
}

/** Saves a new version of a model's price (admins); later calls are charged and budgeted at it. */
export async function setModelPrice(actor: UserActor, modelId: string, input: ModelPriceUpdate): Promise<CurrentPrice> {
  await assertCan(actor, "policies:manage");
  assertModelId(modelId);
  const update = modelPriceUpdateSchema.parse(input);
  return transact(async (tx) => {
    const before = await currentPrice(modelId, tx);
    const latest = await tx.modelPriceVersion.findFirst({ where: { modelId }, orderBy: { version: "desc" }, select: { version: true } });
    // Two admins saving at once: the unique (modelId, version) refuses the second, which is told to try again.
    const saved = await tx.modelPriceVersion.create({
      data: {
        modelId,
        version: (latest?.version ?? 0) + 1,
        inputUsdPerMTok: update.inputUsdPerMTok,
        outputUsdPerMTok: update.outputUsdPerMTok,
        note: update.reason || null,
        createdById: actor.userId,
      },
      select: versionSelect,
    });
    const figures = (price: CurrentPrice) => ({ version: price.version, inputUsdPerMTok: price.price.inputPerMTokUsd, outputUsdPerMTok: price.price.outputPerMTokUsd });
    const after = fromVersion(saved);
    await recordAudit(tx, {
      actor,
      action: "model_price.updated",
      subjectType: "model",
      subjectId: modelId,
      before: before ? figures(before) : null,
      after: figures(after),
      reason: update.reason || null,
    });
    return after;
  });
}

/** A model's price in force, or 404 when it has none (not shipped, never priced). */
export async function requirePrice(modelId: string): Promise<CurrentPrice> {
  assertModelId(modelId);
  const price = await currentPrice(modelId);
  if (!price) throw notFound(`A price for ${modelId}`);
  return price;
}
