import { z } from "zod";

/**
 * Isotonic (nondecreasing) regression by weighted pool-adjacent-violators. The fitted model is a
 * list of breakpoints, each the weighted mean x and fitted y of one pooled block; predictions
 * interpolate linearly between breakpoints and hold the end values beyond them.
 */
export const isotonicModelSchema = z
  .object({
    x: z.array(z.number()).min(1),
    y: z.array(z.number()).min(1),
  })
  .refine((model) => model.x.length === model.y.length, "x and y must have the same length")
  .refine((model) => model.x.every((x, i) => i === 0 || x > model.x[i - 1]), "x must be strictly increasing")
  .refine((model) => model.y.every((y, i) => i === 0 || y >= model.y[i - 1]), "y must be nondecreasing");
export type IsotonicModel = z.infer<typeof isotonicModelSchema>;

export type IsotonicPoint = { x: number; y: number; weight?: number };
/** One pooled block: where it sits (weighted mean x), its fitted value and its total weight. */
export type IsotonicBlock = { x: number; y: number; weight: number };

/** The pooled blocks of the weighted isotonic fit, in increasing x. */
export function poolAdjacentViolators(points: readonly IsotonicPoint[]): IsotonicBlock[] {
  for (const point of points) {
    const weight = point.weight ?? 1;
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y) || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new RangeError(`isotonic points need finite x, y and a weight >= 0, got ${JSON.stringify(point)}`);
    }
  }
  const sorted = points.filter((point) => (point.weight ?? 1) > 0).sort((a, b) => a.x - b.x);
  // Blocks carry weighted sums so pooling is exact; points with equal x start in one block,
  // otherwise their arbitrary order would decide the fit.
  type Sums = { wx: number; wy: number; w: number };
  const stack: Sums[] = [];
  for (let i = 0; i < sorted.length; ) {
    const block: Sums = { wx: 0, wy: 0, w: 0 };
    const x = sorted[i].x;
    for (; i < sorted.length && sorted[i].x === x; i += 1) {
      const weight = sorted[i].weight ?? 1;
      block.wx += weight * x;
      block.wy += weight * sorted[i].y;
      block.w += weight;
    }
    stack.push(block);
    // Merge backwards while the newest block's mean falls below its predecessor's.
    while (stack.length > 1 && stack[stack.length - 1].wy / stack[stack.length - 1].w < stack[stack.length - 2].wy / stack[stack.length - 2].w) {
      const last = stack.pop()!;
      const previous = stack[stack.length - 1];
      previous.wx += last.wx;
      previous.wy += last.wy;
      previous.w += last.w;
    }
  }
  return stack.map((block) => ({ x: block.wx / block.w, y: block.wy / block.w, weight: block.w }));
}

/** Fits the model; at least one point with positive weight is required. */
export function fitIsotonic(points: readonly IsotonicPoint[]): IsotonicModel {
  const blocks = poolAdjacentViolators(points);
  if (blocks.length === 0) throw new RangeError("isotonic regression needs at least one point with positive weight");
  return { x: blocks.map((block) => block.x), y: blocks.map((block) => block.y) };
}

export function predictIsotonic(model: IsotonicModel, x: number): number {
  const { x: xs, y: ys } = model;
  if (Number.isNaN(x)) throw new RangeError("cannot predict at NaN");
  if (x <= xs[0]) return ys[0];
  const last = xs.length - 1;
  if (x >= xs[last]) return ys[last];
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (xs[middle] <= x) low = middle;
    else high = middle;
  }
  const t = (x - xs[low]) / (xs[high] - xs[low]);
  return ys[low] + t * (ys[high] - ys[low]);
}
