/**
 * Minimises a smooth function by L-BFGS (limited-memory quasi-Newton) with a backtracking line
 * search that keeps every step a sufficient decrease (Armijo). For convex objectives with many
 * parameters (the category classifier's thousands of weights), where Newton's method would need a
 * dense Hessian: it converges to the one minimum whatever the starting order of the data, in a
 * few hundred gradient evaluations.
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export type MinimizeOptions = {
  /** Stop when no partial derivative exceeds this in size. */
  tolerance?: number;
  maxIterations?: number;
  /** How many recent steps approximate the curvature. */
  memory?: number;
};

export type MinimizeResult = { x: Float64Array; value: number; iterations: number; converged: boolean };

const ARMIJO = 1e-4;
const MIN_STEP = 1e-20;

export function minimize(objective: Objective, start: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const { tolerance = 1e-6, maxIterations = 500, memory = 10 } = options;
  const n = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = objective(x, gradient);
  const steps: { s: Float64Array; y: Float64Array; rho: number }[] = [];

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(gradient) <= tolerance) return { x, value, iterations: iteration, converged: true };
    let direction = searchDirection(gradient, steps);
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      // The curvature memory no longer points downhill: start again from steepest descent.
      steps.length = 0;
      direction = searchDirection(gradient, steps);
      slope = dot(direction, gradient);
    }
    let step = 1;
    const next = new Float64Array(n);
    const nextGradient = new Float64Array(n);
    let nextValue = Number.POSITIVE_INFINITY;
    for (;;) {
      for (let i = 0; i < n; i++) next[i] = x[i] + step * direction[i];
      nextValue = objective(next, nextGradient);
      if (nextValue <= value + ARMIJO * step * slope) break;
      step /= 2;
      if (step < MIN_STEP) return { x, value, iterations: iteration, converged: false };
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i] - x[i];
      y[i] = nextGradient[i] - gradient[i];
    }
    const curvature = dot(s, y);
    if (curvature > 1e-12) {
      steps.push({ s, y, rho: 1 / curvature });
      if (steps.length > memory) steps.shift();
    }
    x = next;
    gradient = nextGradient;
    value = nextValue;
  }
  return { x, value, iterations: maxIterations, converged: maxAbs(gradient) <= tolerance };
}

/** The two-loop recursion: the inverse-Hessian approximation of the remembered steps times -gradient. */
function searchDirection(gradient: Float64Array, steps: readonly { s: Float64Array; y: Float64Array; rho: number }[]): Float64Array {
  const q = Float64Array.from(gradient);
  const alphas = new Array<number>(steps.length);
  for (let k = steps.length - 1; k >= 0; k--) {
    alphas[k] = steps[k].rho * dot(steps[k].s, q);
    axpy(-alphas[k], steps[k].y, q);
  }
  const last = steps.at(-1);
  // Without memory, a first step of unit length; with it, the scale of the latest curvature.
  const scale = last ? 1 / (last.rho * dot(last.y, last.y)) : 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
  for (let i = 0; i < q.length; i++) q[i] *= scale;
  for (let k = 0; k < steps.length; k++) {
    const beta = steps[k].rho * dot(steps[k].y, q);
    axpy(alphas[k] - beta, steps[k].s, q);
  }
  for (let i = 0; i < q.length; i++) q[i] = -q[i];
  return q;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function axpy(factor: number, a: Float64Array, into: Float64Array): void {
  for (let i = 0; i < a.length; i++) into[i] += factor * a[i];
}

function maxAbs(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}
