/** The solver-choice rule (cost model in src/kernel/choose.ts). */
import { describe, expect, it } from 'vitest';
import { chooseSolver, estimateSolverCosts } from '../../src/kernel/index.js';
import { sorOmega } from '../../src/kernel/validate.js';

describe('chooseSolver', () => {
  it('uses LU for the paper-sized systems (30–42 sectors), whatever the number of rhs', () => {
    expect(chooseSolver(30, 1, 1)).toBe('lu');
    expect(chooseSolver(42, 1, 1)).toBe('lu');
    expect(chooseSolver(42, 0.3, 100)).toBe('lu');
  });

  it('uses Gauss–Seidel for one rhs at MRIO sizes, LU again for many rhs', () => {
    expect(chooseSolver(1302, 1, 1)).toBe('iterative-dense');
    expect(chooseSolver(1302, 1, 50)).toBe('lu');
    expect(chooseSolver(500, 1, 1)).toBe('iterative-dense');
    expect(chooseSolver(500, 1, 10)).toBe('lu');
  });

  it('uses CSR for sparse large systems', () => {
    expect(chooseSolver(9800, 0.1, 1)).toBe('iterative-csr');
    expect(chooseSolver(9800, 0.1, 10)).toBe('iterative-csr');
    expect(chooseSolver(1302, 0.05, 1)).toBe('iterative-csr');
  });

  it('lets right-hand sides share each pass over a sparse matrix, but not over a dense one', () => {
    // Block of 40 at n = 2000, 10 %: 10 chunks × 27 sweeps × 1.6 ns × 4e5 nnz = 173 ms, against
    // LU 280 ms + 40 solves 80 ms; 40 separate sparse solves would take 518 ms.
    expect(chooseSolver(2000, 0.1, 40)).toBe('iterative-csr');
    const one = estimateSolverCosts(2000, 0.1, 1);
    const four = estimateSolverCosts(2000, 0.1, 4);
    expect(four['iterative-csr'] - one['iterative-csr']).toBeLessThan(one['iterative-csr']);
    expect(four['iterative-dense']).toBeGreaterThan(4 * one['iterative-dense'] - 3 * 0.6e-6 * 2000 ** 2);
  });

  it('never picks an iterative method for a (nearly) non-productive A', () => {
    expect(chooseSolver(9800, 0.1, 1, { spectralRadius: 0.97 })).toBe('lu');
    expect(estimateSolverCosts(100, 1, 1, { spectralRadius: 1.2 })['iterative-dense']).toBe(Infinity);
  });

  it('a slower-converging A or a tighter tolerance moves the crossover towards LU', () => {
    const fast = estimateSolverCosts(800, 1, 3, { spectralRadius: 0.4 });
    const slow = estimateSolverCosts(800, 1, 3, { spectralRadius: 0.9, tol: 1e-13 });
    expect(slow['iterative-dense']).toBeGreaterThan(fast['iterative-dense']);
    expect(slow.lu).toBe(fast.lu);
  });
});

describe("sorOmega (the 'auto' SOR factor)", () => {
  it('takes the optimum 2/(1+√(1−ρ̂²)) below the convergence limit 2/(1+ρ̂) − 0.01, and 1 where no bound applies', () => {
    // ρ̂ = 0.5: 2/(1+√0.75) = 1.0717968 (limit 1.3233); ρ̂ = 0.7: 2/(1+√0.51) = 1.1667603 > limit 2/1.7 − 0.01 = 1.1664706.
    expect(sorOmega(0.5)).toBeCloseTo(1.0717968, 7);
    expect(sorOmega(0.7)).toBeCloseTo(1.1664706, 7);
    expect(sorOmega(0)).toBe(1);
    expect(sorOmega(1)).toBe(1);
    expect(sorOmega(-1)).toBe(1);
  });
});
