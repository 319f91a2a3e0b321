import { describe, expect, it } from 'vitest';
import { formatDecimal, markdownTable } from '../../src/output/markdown.js';

describe('report numbers', () => {
  it('a value that rounds to zero prints as 0 without a sign; others keep theirs', () => {
    expect(formatDecimal(-1.07e-15, 3)).toBe('0.000');
    expect(formatDecimal(-0.0004, 3)).toBe('0.000');
    expect(formatDecimal(-0, 1)).toBe('0.0');
    expect(formatDecimal(-0.4, 0)).toBe('0');
    expect(formatDecimal(-0.0005, 3)).toBe('-0.001');
    expect(formatDecimal(-0.002, 3)).toBe('-0.002');
    expect(formatDecimal(-10.04, 1)).toBe('-10.0');
  });
  it('markdown tables format through it', () => {
    expect(markdownTable({ columns: ['a', 'share'], rows: [[-1e-12, -0.001]] })).toContain('| 0.000 | 0.00 |');
  });
});
