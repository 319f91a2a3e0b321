/** CPU pinning of the benchmark suite (src/benchmark/affinity.ts): the CPU-list parser and, where taskset exists, real pinning. */
import { describe, expect, it } from 'vitest';
import { allowedCpus, cpuPinning, parseCpuList } from '../../src/benchmark/affinity.js';

describe('parseCpuList', () => {
  it('reads lists and ranges as taskset prints them', () => {
    expect(parseCpuList('0,1')).toEqual([0, 1]);
    expect(parseCpuList('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(parseCpuList('5')).toEqual([5]);
    expect(() => parseCpuList('0-a')).toThrow(/cannot read the CPU list "0-a"/);
  });
});

const start = allowedCpus(process.pid);

describe.skipIf(!start || start.length < 2)('cpuPinning with taskset', () => {
  it('pins this process (every thread) to one CPU for single-thread work and gives all back', () => {
    const pin = cpuPinning();
    expect(pin.cpu).toBe(start!.at(-1));
    try {
      pin.use(1);
      expect(allowedCpus(process.pid)).toEqual([pin.cpu]);
      pin.use(2);
      expect(allowedCpus(process.pid)).toEqual(start);
      pin.use(1);
    } finally {
      pin.release();
    }
    expect(allowedCpus(process.pid)).toEqual(start);
  });

  it('takes a chosen CPU, refuses one the process may not use, and pins nothing with false', () => {
    expect(cpuPinning(start![0]).cpu).toBe(start![0]);
    expect(() => cpuPinning(start!.at(-1)! + 1000)).toThrow(/--cpu \d+: this process may only run on CPU/);
    const none = cpuPinning(false);
    expect(none.cpu).toBeNull();
    none.use(1);
    expect(allowedCpus(process.pid)).toEqual(start);
  });
});
