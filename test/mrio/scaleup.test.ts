/** The scale-up benchmark's pure helpers: the growth-exponent fit and the hand-rolled SVG chart. */
import { describe, expect, it } from 'vitest';
import { fitExponent, svgChart } from '../../bench/scaleup.js';

describe('bench/scaleup helpers', () => {
  it('fits y = c·n^p exactly on a power law', () => {
    const pts = [100, 300, 1000, 3000].map((n) => ({ n, y: 2e-6 * n ** 2.8 }));
    const f = fitExponent(pts)!;
    expect(f.p).toBeCloseTo(2.8, 10);
    expect(f.c).toBeCloseTo(2e-6, 15);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(fitExponent([{ n: 10, y: 1 }])).toBeUndefined();
  });

  it('draws one polyline and one marker per point, log axes, escaped labels', () => {
    const svg = svgChart('time <ms>', 'ms', [
      {
        label: 'dense',
        color: '#00f',
        points: [
          { n: 100, y: 1 },
          { n: 1000, y: 1000 },
        ],
      },
      {
        label: 'iterative & CSR',
        color: '#f00',
        points: [
          { n: 100, y: 2 },
          { n: 10000, y: 50 },
          { n: 1000, y: 0 },
        ],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)!.length).toBe(2);
    expect(svg.match(/<circle/g)!.length).toBe(4); // the point with y = 0 cannot be drawn on a log axis
    expect(svg).toContain('time &lt;ms>');
    expect(svg).toContain('iterative &amp; CSR');
    expect(svg).toContain('>1e4<');
  });
});
