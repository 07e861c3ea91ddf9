import { describe, expect, it } from "vitest";
import { minimize } from "./lbfgs";

describe("minimize (L-BFGS)", () => {
  it("finds the minimum of an ill-conditioned quadratic", () => {
    const scales = [1, 10, 100, 1000];
    const centre = [3, -2, 0.5, 7];
    const { x, converged } = minimize((v, g) => {
      let value = 0;
      v.forEach((vi, i) => {
        value += 0.5 * scales[i] * (vi - centre[i]) ** 2;
        g[i] = scales[i] * (vi - centre[i]);
      });
      return value;
    }, [0, 0, 0, 0]);
    expect(converged).toBe(true);
    x.forEach((xi, i) => expect(xi).toBeCloseTo(centre[i], 5));
  });

  it("follows the Rosenbrock valley to its minimum at (1, 1)", () => {
    const { x, converged } = minimize(
      ([a, b], g) => {
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
      { maxIterations: 1000 },
    );
    expect(converged).toBe(true);
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[1]).toBeCloseTo(1, 4);
  });

  it("says when it stopped short of the tolerance", () => {
    const result = minimize(([a], g) => {
      g[0] = 4 * a ** 3;
      return a ** 4;
    }, [10], { maxIterations: 2, tolerance: 1e-12 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(2);
    expect(result.value).toBeLessThan(10 ** 4);
  });
});
