/**
 * L2-penalised logistic regression by Newton's method, small and dense: calibration fits a handful
 * of columns, so exact Newton steps (with step halving) converge in a few iterations and need no
 * tuning. Penalties pull each weight toward a centre (zero, or a pooled fit to shrink toward).
 */
export type LogisticProblem = {
  /** Design rows; include a column of ones for an intercept. */
  rows: readonly (readonly number[])[];
  outcomes: readonly boolean[];
  /** L2 strength per column (0 leaves a column free). */
  penalty: readonly number[];
  /** Where each column's penalty pulls it; zeros when omitted. */
  centre?: readonly number[];
  /** Columns whose weight must be >= 0. */
  nonNegative?: readonly number[];
};

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-10;
/** Keeps the Newton system solvable when a column carries no data and no penalty. */
const JITTER = 1e-9;

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function objective(problem: LogisticProblem, centre: readonly number[], weights: readonly number[]): number {
  let value = 0;
  problem.rows.forEach((row, i) => {
    const z = dot(row, weights);
    // -log P(outcome) = softplus(-z) when correct, softplus(z) when not.
    value += problem.outcomes[i] ? softplus(-z) : softplus(z);
  });
  weights.forEach((w, j) => (value += 0.5 * problem.penalty[j] * (w - centre[j]) ** 2));
  return value;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, value, j) => sum + value * b[j], 0);

/** Solves A x = b for a symmetric positive definite A by Cholesky decomposition. */
export function solveSymmetric(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = a[i][j];
      for (let k = 0; k < j; k += 1) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 0)) throw new RangeError("matrix is not positive definite");
        l[i][i] = Math.sqrt(sum);
      } else l[i][j] = sum / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i += 1) y[i] = (b[i] - l[i].slice(0, i).reduce((sum, v, k) => sum + v * y[k], 0)) / l[i][i];
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = y[i];
    for (let k = i + 1; k < n; k += 1) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}

/** Newton's method over the free columns; fixed columns stay at 0. */
function newton(problem: LogisticProblem, centre: readonly number[], fixed: ReadonlySet<number>): number[] {
  const columns = problem.penalty.length;
  const free = Array.from({ length: columns }, (_, j) => j).filter((j) => !fixed.has(j));
  let weights = centre.map((c, j) => (fixed.has(j) ? 0 : c));
  let current = objective(problem, centre, weights);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const gradient = free.map((j) => problem.penalty[j] * (weights[j] - centre[j]));
    const hessian = free.map((j, a) => free.map((_, b) => (a === b ? problem.penalty[j] + JITTER : 0)));
    problem.rows.forEach((row, i) => {
      const p = sigmoid(dot(row, weights));
      const residual = p - (problem.outcomes[i] ? 1 : 0);
      const curvature = p * (1 - p);
      free.forEach((j, a) => {
        gradient[a] += residual * row[j];
        for (let b = 0; b <= a; b += 1) hessian[a][b] += curvature * row[j] * row[free[b]];
      });
    });
    for (let a = 0; a < free.length; a += 1) for (let b = a + 1; b < free.length; b += 1) hessian[a][b] = hessian[b][a];
    const step = solveSymmetric(hessian, gradient);
    // Halve the step until the objective does not rise, which keeps Newton safe far from the optimum.
    let scale = 1;
    let candidate = weights;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings += 1) {
      candidate = weights.slice();
      free.forEach((j, a) => (candidate[j] -= scale * step[a]));
      value = objective(problem, centre, candidate);
      if (value <= current + 1e-12) break;
      scale /= 2;
    }
    const moved = Math.max(0, ...step.map((s) => Math.abs(s * scale)));
    weights = candidate;
    current = value;
    if (moved < TOLERANCE) break;
  }
  return weights;
}

/** The objective's gradient in every column at `weights`. */
function gradientAt(problem: LogisticProblem, centre: readonly number[], weights: readonly number[]): number[] {
  const gradient = weights.map((w, j) => problem.penalty[j] * (w - centre[j]));
  problem.rows.forEach((row, i) => {
    const residual = sigmoid(dot(row, weights)) - (problem.outcomes[i] ? 1 : 0);
    row.forEach((value, j) => (gradient[j] += residual * value));
  });
  return gradient;
}

/**
 * The penalised maximum-likelihood weights, with the non-negative columns handled by an active
 * set: a column whose free optimum is negative is held at 0, and released again when the
 * objective would fall by raising it (the optimality conditions of a convex problem with bounds).
 */
export function fitLogistic(problem: LogisticProblem): number[] {
  const columns = problem.penalty.length;
  if (problem.rows.length !== problem.outcomes.length) throw new RangeError("rows and outcomes differ in length");
  if (problem.rows.some((row) => row.length !== columns)) throw new RangeError("every row needs one value per penalty");
  if (problem.penalty.some((penalty) => !(penalty >= 0))) throw new RangeError("penalties must be >= 0");
  const centre = problem.centre ?? new Array<number>(columns).fill(0);
  const bounded = problem.nonNegative ?? [];
  const fixed = new Set<number>();
  let weights = newton(problem, centre, fixed);
  // Each round either holds a violating column or releases one; the cap only guards against cycling on ties.
  for (let round = 0; round < 4 * columns + 4; round += 1) {
    const violated = bounded.filter((j) => !fixed.has(j) && weights[j] < 0);
    if (violated.length > 0) {
      fixed.add(violated.reduce((worst, j) => (weights[j] < weights[worst] ? j : worst)));
    } else {
      const gradient = gradientAt(problem, centre, weights);
      const releasable = [...fixed].filter((j) => gradient[j] < -1e-9);
      if (releasable.length === 0) break;
      fixed.delete(releasable.reduce((best, j) => (gradient[j] < gradient[best] ? j : best)));
    }
    weights = newton(problem, centre, fixed);
  }
  return weights.map((w, j) => (bounded.includes(j) ? Math.max(0, w) : w));
}
