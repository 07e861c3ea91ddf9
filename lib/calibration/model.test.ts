import { describe, expect, it } from "vitest";
import { calibratedProbability, calibrationModelDataSchema, fitCalibration, type CalibrationFeatures, type CalibrationSample } from "./model";
import { expectedCalibrationError } from "./reliability";

/** mulberry32: a small seeded generator, so the synthetic drafts are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const logistic = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * A known process: the chance a draft is right rises with raw confidence but not logit-linearly
 * (the drafter is overconfident in the middle), "vague_wording" and "conflict" make errors likelier,
 * "cosmetic" means nothing, and categories, models and sources shift the odds.
 */
function truth(features: CalibrationFeatures): number {
  const r = features.rawConfidence ?? 0;
  let z = -2.2 + 5.5 * r ** 2;
  if (features.flags.includes("vague_wording")) z -= 1.4;
  if (features.flags.includes("conflict")) z -= 2;
  if (features.category === "non_functional") z -= 0.6;
  if (features.category === "constraint") z += 0.5;
  if (features.modelId === "model-b") z -= 0.4;
  if (features.sourceKind === "email") z -= 0.3;
  return logistic(z);
}

function draw(random: () => number): CalibrationFeatures {
  const pick = <T,>(options: [T, number][]): T => {
    let u = random();
    for (const [value, weight] of options) if ((u -= weight) < 0) return value;
    return options[options.length - 1][0];
  };
  const flags = [
    ...(random() < 0.15 ? ["vague_wording"] : []),
    ...(random() < 0.06 ? ["conflict"] : []),
    ...(random() < 0.2 ? ["cosmetic"] : []),
  ];
  return {
    rawConfidence: random() < 0.04 ? null : Math.sqrt(random()),
    category: pick<string | null>([["functional", 0.55], ["non_functional", 0.3], ["constraint", 0.1], [null, 0.05]]),
    flags,
    modelId: pick<string | null>([["model-a", 0.6], ["model-b", 0.35], [null, 0.05]]),
    sourceKind: pick<string | null>([["interview", 0.5], ["email", 0.5]]),
  };
}

function synthetic(count: number, seed: number, chance: (features: CalibrationFeatures) => number = truth): (CalibrationSample & { truth: number })[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const features = draw(random);
    const p = chance(features);
    return { ...features, correct: random() < p, truth: p };
  });
}

const clean: CalibrationFeatures = { rawConfidence: 0.8, category: "functional", flags: [], modelId: "model-a", sourceKind: "interview" };

describe("fitCalibration on a known process", () => {
  const training = synthetic(4000, 1);
  const heldOut = synthetic(4000, 2);
  const model = fitCalibration(training);
  const predictions = heldOut.map((sample) => ({ ...sample, p: calibratedProbability(model, sample).probability }));

  it("is calibrated on held-out drafts (ECE <= 0.05)", () => {
    expect(model.fitted).toBe(true);
    expect(model.pooled?.recalibration).not.toBeNull();
    expect(expectedCalibrationError(predictions)).toBeLessThanOrEqual(0.05);
  });

  it("stays calibrated when the truth is not logistic in the evidence (the recalibration's job)", () => {
    // Drafts are right at least 15% of the time whatever the evidence, and the odds are steeper.
    const floored = (features: CalibrationFeatures) => 0.15 + 0.85 / (1 + Math.exp(-1.6 * Math.log(truth(features) / (1 - truth(features)))));
    const fitted = fitCalibration(synthetic(4000, 11, floored));
    const held = synthetic(4000, 12, floored).map((sample) => ({ ...sample, p: calibratedProbability(fitted, sample).probability }));
    expect(expectedCalibrationError(held)).toBeLessThanOrEqual(0.05);
    expect(held.reduce((sum, s) => sum + Math.abs(s.p - s.truth), 0) / held.length).toBeLessThan(0.05);
  });

  it("tracks the true probability", () => {
    const meanGap = predictions.reduce((sum, s) => sum + Math.abs(s.p - s.truth), 0) / predictions.length;
    expect(meanGap).toBeLessThan(0.05);
    for (const sample of predictions.slice(0, 200)) expect(Math.abs(sample.p - sample.truth)).toBeLessThan(0.25);
  });

  it("lowers the probability for flags that predict errors, not for one that does not", () => {
    const at = (flags: string[]) => calibratedProbability(model, { ...clean, rawConfidence: 0.6, flags }).probability;
    expect(at(["vague_wording"])).toBeLessThan(at([]) - 0.1);
    expect(at(["conflict"])).toBeLessThan(at(["vague_wording"]));
    expect(Math.abs(at(["cosmetic"]) - at([]))).toBeLessThan(0.06);
  });

  it("learns the effects of model and source kind", () => {
    const of = (features: Partial<CalibrationFeatures>) => calibratedProbability(model, { ...clean, rawConfidence: 0.6, ...features }).probability;
    expect(of({ modelId: "model-b" })).toBeLessThan(of({}));
    expect(of({ sourceKind: "email" })).toBeLessThan(of({}));
  });

  it("answers each category with its own fit when it has enough labels", () => {
    expect(model.categories.map((stratum) => stratum.category)).toEqual(["constraint", "functional", "non_functional"]);
    expect(calibratedProbability(model, clean).stratum).toBe("category:functional");
    expect(calibratedProbability(model, { ...clean, category: null }).stratum).toBe("pooled");
    expect(calibratedProbability(model, { ...clean, category: "never_seen" }).stratum).toBe("pooled");
  });

  it("is monotone nondecreasing in raw confidence with everything else fixed", () => {
    const grid = Array.from({ length: 101 }, (_, i) => i / 100);
    for (const category of ["functional", "non_functional", "constraint", null, "never_seen"]) {
      for (const flags of [[], ["vague_wording"], ["conflict", "cosmetic"], ["unknown_flag"]]) {
        for (const modelId of ["model-a", "model-b", null]) {
          const features = { ...clean, category, flags, modelId };
          const missing = calibratedProbability(model, { ...features, rawConfidence: null }).probability;
          let previous = missing;
          for (const rawConfidence of grid) {
            const { probability } = calibratedProbability(model, { ...features, rawConfidence });
            expect(probability).toBeGreaterThanOrEqual(previous - 1e-12);
            expect(probability).toBeGreaterThan(0);
            expect(probability).toBeLessThan(1);
            previous = probability;
          }
          expect(calibratedProbability(model, { ...features, rawConfidence: 1 }).probability).toBeGreaterThan(missing);
        }
      }
    }
  });

  it("treats a missing raw confidence as the lowest", () => {
    expect(calibratedProbability(model, { ...clean, rawConfidence: null }).probability).toBe(calibratedProbability(model, { ...clean, rawConfidence: 0 }).probability);
  });

  it("is deterministic and survives JSON and its schema", () => {
    expect(fitCalibration(training)).toEqual(model);
    const stored = calibrationModelDataSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(stored).toEqual(model);
    expect(calibratedProbability(stored, clean)).toEqual(calibratedProbability(model, clean));
  });
});

describe("fitCalibration with the category classifier's opinion", () => {
  // Drafts are right mostly when the classifier is sure of their category, whatever the drafter says.
  const opinionTruth = (features: CalibrationFeatures) => logistic(-3 + 6 * (features.categoryOpinion ?? 0) ** 2);
  const withOpinion = (count: number, seed: number) => {
    const random = seeded(seed + 100);
    return synthetic(count, seed, () => 0.5).map((sample) => {
      const features = { ...sample, categoryOpinion: random() < 0.1 ? null : random() };
      const truth = opinionTruth(features);
      return { ...features, correct: random() < truth, truth };
    });
  };
  const model = fitCalibration(withOpinion(3000, 5));
  const heldOut = withOpinion(3000, 6).filter((sample) => sample.categoryOpinion !== null);

  it("learns from it: calibrated on held-out drafts, and it ranks them", () => {
    const predictions = heldOut.map((sample) => ({ ...sample, p: calibratedProbability(model, sample).probability }));
    expect(expectedCalibrationError(predictions)).toBeLessThanOrEqual(0.05);
    expect(calibratedProbability(model, { ...clean, categoryOpinion: 0.95 }).probability).toBeGreaterThan(calibratedProbability(model, { ...clean, categoryOpinion: 0.2 }).probability + 0.4);
  });

  it("is monotone nondecreasing in the opinion with everything else fixed", () => {
    let previous = 0;
    for (let step = 0; step <= 100; step++) {
      const { probability } = calibratedProbability(model, { ...clean, categoryOpinion: step / 100 });
      expect(probability).toBeGreaterThanOrEqual(previous - 1e-12);
      previous = probability;
    }
  });

  it("reads a model stored before the opinion existed as one that weighs it nothing", () => {
    const old = fitCalibration(synthetic(500, 3));
    const stored = JSON.parse(JSON.stringify(old)) as { pooled: { weights: Record<string, unknown> } };
    delete stored.pooled.weights.opinion;
    const parsed = calibrationModelDataSchema.parse(stored);
    expect(parsed.pooled!.weights.opinion.every((weight) => weight === 0)).toBe(true);
    expect(calibratedProbability(parsed, { ...clean, categoryOpinion: 0.9 }).probability).toBe(calibratedProbability(parsed, { ...clean, categoryOpinion: 0.1 }).probability);
  });
});

describe("fitCalibration per category", () => {
  it("lets a category whose drafter confidence means nothing depart from the step", () => {
    const random = seeded(7);
    const samples: CalibrationSample[] = [
      ...synthetic(1500, 3),
      ...Array.from({ length: 400 }, () => ({ ...draw(random), category: "flat", flags: [], correct: random() < 0.6 })),
    ];
    const model = fitCalibration(samples);
    for (const rawConfidence of [0.2, 0.5, 0.9]) {
      const { probability, stratum } = calibratedProbability(model, { ...clean, category: "flat", rawConfidence });
      expect(stratum).toBe("category:flat");
      expect(Math.abs(probability - 0.6)).toBeLessThan(0.12);
    }
  });

  it("keeps small or one-sided categories on the pooled fit, with a configurable minimum", () => {
    const base = synthetic(600, 4).map((sample) => ({ ...sample, category: "big" }));
    const small = Array.from({ length: 29 }, (_, i) => ({ ...clean, category: "small", correct: i % 3 !== 0 }));
    const oneSided = Array.from({ length: 50 }, () => ({ ...clean, category: "always_right", correct: true }));
    const model = fitCalibration([...base, ...small, ...oneSided]);
    expect(model.categories.map((stratum) => stratum.category)).toEqual(["big"]);
    expect(calibratedProbability(model, { ...clean, category: "small" }).stratum).toBe("pooled");
    expect(calibratedProbability(model, { ...clean, category: "always_right" }).stratum).toBe("pooled");
    expect(fitCalibration([...base, ...small], { minCategorySamples: 20 }).categories.map((stratum) => stratum.category)).toEqual(["big", "small"]);
  });

  it("treats category names as data, even ones that look like object internals", () => {
    const samples = synthetic(200, 5).map((sample, i) => ({ ...sample, category: i % 2 === 0 ? "__proto__" : "constructor" }));
    const model = fitCalibration(samples);
    expect(model.categories.map((stratum) => stratum.category)).toEqual(["__proto__", "constructor"]);
    expect(calibratedProbability(model, { ...clean, category: "__proto__" }).stratum).toBe("category:__proto__");
    expect(calibratedProbability(fitCalibration(synthetic(200, 5)), { ...clean, category: "constructor" }).stratum).toBe("pooled");
    expect(calibrationModelDataSchema.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });
});

describe("fitCalibration with too little evidence", () => {
  it("answers the smoothed base rate, says it is not fitted, and stays monotone (constant)", () => {
    const none = fitCalibration([]);
    expect(none).toMatchObject({ fitted: false, labels: 0, correct: 0, baseRate: 0.5, pooled: null, categories: [] });
    expect(calibratedProbability(none, clean)).toEqual({ probability: 0.5, stratum: "prior" });

    const allRight = fitCalibration(Array.from({ length: 40 }, () => ({ ...clean, correct: true })));
    expect(allRight.fitted).toBe(false);
    expect(calibratedProbability(allRight, { ...clean, rawConfidence: null }).probability).toBeCloseTo(41 / 42);
    expect(calibratedProbability(allRight, { ...clean, rawConfidence: 1 }).probability).toBeCloseTo(41 / 42);

    const allWrong = fitCalibration(Array.from({ length: 8 }, () => ({ ...clean, correct: false })));
    expect(calibratedProbability(allWrong, clean).probability).toBeCloseTo(1 / 10);
  });

  it("fits from minSamples labels of both outcomes, without isotonic recalibration below its minimum", () => {
    const samples = Array.from({ length: 10 }, (_, i) => ({ ...clean, rawConfidence: i / 10, correct: i >= 4 }));
    expect(fitCalibration(samples.slice(0, 9)).fitted).toBe(false);
    const model = fitCalibration(samples);
    expect(model.fitted).toBe(true);
    expect(model.pooled?.recalibration).toBeNull();
    const low = calibratedProbability(model, { ...clean, rawConfidence: 0.1 }).probability;
    const high = calibratedProbability(model, { ...clean, rawConfidence: 0.9 }).probability;
    expect(high).toBeGreaterThan(low);
  });

  it("never lets confidence lower the probability, even when the labels say so", () => {
    const samples = Array.from({ length: 60 }, (_, i) => ({ ...clean, rawConfidence: (i % 10) / 10, correct: i % 10 < 5 }));
    const model = fitCalibration(samples);
    expect(model.pooled?.weights.confidence).toEqual([0, 0, 0, 0, 0]);
    expect(calibratedProbability(model, { ...clean, rawConfidence: 0.9 }).probability).toBeCloseTo(calibratedProbability(model, { ...clean, rawConfidence: 0.1 }).probability, 12);
  });

  it("stays finite when nearly every label is right (a cross-fitting fold may see one outcome only)", () => {
    const samples = Array.from({ length: 250 }, (_, i) => ({ ...clean, rawConfidence: (i % 50) / 50, correct: i !== 7 }));
    const model = fitCalibration(samples);
    expect(model.pooled?.recalibration).not.toBeNull();
    for (const rawConfidence of [null, 0, 0.5, 1]) {
      const { probability } = calibratedProbability(model, { ...clean, rawConfidence });
      expect(probability).toBeGreaterThan(0.9);
      expect(probability).toBeLessThan(1);
    }
  });

  it("answers drafts with unseen flags, models and sources from what it knows", () => {
    const model = fitCalibration(synthetic(300, 6));
    const unseen = { ...clean, category: null, flags: ["brand_new"], modelId: "model-z", sourceKind: "fax" };
    const { probability } = calibratedProbability(model, unseen);
    expect(probability).toBeGreaterThan(0);
    expect(probability).toBeLessThan(1);
  });
});
