import { calibratedProbability, fitCalibration, type CalibrationSample } from "@/lib/calibration";
import { db } from "@/lib/db";

/**
 * A step's calibration as if people had already decided many of its drafts of these models:
 * confident drafts (0.7 and up) were approved unchanged, hesitant ones mostly were not. With it in place, a clean confident
 * draft can be auto-approved, so a test can show what is (and what is never) auto-approved.
 * Stored as the latest fitted version with no labels behind it, so routing uses it as it is
 * instead of refitting from the (empty) label table.
 */
export async function seedTrustedCalibration(stepKey: string, modelIds: readonly string[]): Promise<void> {
  const samples: CalibrationSample[] = [];
  for (const modelId of modelIds) {
    for (let index = 0; index < 300; index++) samples.push({ rawConfidence: 0.7 + (0.29 * index) / 299, category: null, flags: [], modelId, sourceKind: null, correct: true });
    for (let index = 0; index < 150; index++) samples.push({ rawConfidence: 0.1 + (0.5 * index) / 149, category: null, flags: [], modelId, sourceKind: null, correct: index % 3 === 0 });
  }
  const model = fitCalibration(samples);
  const scored = samples.map((sample) => ({ p: calibratedProbability(model, sample).probability, correct: sample.correct, category: sample.category, clean: sample.flags.length === 0 }));
  const latest = await db().learnedModel.findFirst({ where: { name: `calibration:${stepKey}` }, orderBy: { version: "desc" }, select: { version: true } });
  await db().learnedModel.create({
    data: {
      name: `calibration:${stepKey}`,
      version: (latest?.version ?? 0) + 1,
      data: { model, scored },
      summary: { labels: samples.length, seeded: true },
      labelCount: 0,
      reason: "seeded by a test: many earlier decisions",
    },
  });
}
