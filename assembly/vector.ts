// Level 1: operations on contiguous float64 vectors (byte pointers, lengths in elements), SIMD
// along the vector. Everything above calls these; they call nothing.

/**
 * SIMD dot product of two contiguous vectors of length len, in the precision T (f64, or f32 for the
 * f32 factors of the mixed-precision solve, mixed.ts).
 */
export function dot<T>(len: i32, x: usize, y: usize): T {
  const sh = alignof<T>();
  const lanes = <i32>(16 / sizeof<T>());
  let s0 = v128.splat<T>(<T>0), s1 = v128.splat<T>(<T>0);
  let k = 0;
  for (; k + 2 * lanes <= len; k += 2 * lanes) {
    const o = <usize>k << sh;
    s0 = v128.add<T>(s0, v128.mul<T>(v128.load(x + o), v128.load(y + o)));
    s1 = v128.add<T>(s1, v128.mul<T>(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  s0 = v128.add<T>(s0, s1);
  let s: T;
  if (sizeof<T>() == 8) s = <T>(f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1));
  else s = <T>(f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + (f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3)));
  for (; k < len; k++) s += load<T>(x + (<usize>k << sh)) * load<T>(y + (<usize>k << sh));
  return s;
}

/** y[0..len) −= s · x[0..len) (SIMD), in the precision T. */
export function axpySub<T>(len: i32, s: T, x: usize, y: usize): void {
  const sh = alignof<T>();
  const lanes = <i32>(16 / sizeof<T>());
  const sv = v128.splat<T>(s);
  let k = 0;
  for (; k + 2 * lanes <= len; k += 2 * lanes) {
    const o = <usize>k << sh;
    v128.store(y + o, v128.sub<T>(v128.load(y + o), v128.mul<T>(sv, v128.load(x + o))));
    v128.store(y + o, v128.sub<T>(v128.load(y + o, 16), v128.mul<T>(sv, v128.load(x + o, 16))), 16);
  }
  for (; k < len; k++) {
    const o = <usize>k << sh;
    store<T>(y + o, load<T>(y + o) - s * load<T>(x + o));
  }
}

/** y[0..len) −= s · x[0..len) for the short rows of triangular-solve leaves (pairs, then one). */
@inline export function axpyShort(len: i32, s: f64, x: usize, y: usize): void {
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(sv, v128.load(x + o))));
  }
  if (k < len) {
    const o = <usize>k << 3;
    store<f64>(y + o, load<f64>(y + o) - s * load<f64>(x + o));
  }
}

/** y[0..len) /= d. */
export function scaleDiv(len: i32, d: f64, y: usize): void {
  const dv = f64x2.splat(d);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.div(v128.load(y + o), dv));
  }
  for (; k < len; k++) {
    const o = <usize>k << 3;
    store<f64>(y + o, load<f64>(y + o) / d);
  }
}

/**
 * Largest |a_i| over len entries (finite input: callers scan for NaN/±Infinity first).
 * pmax (a single maxpd) instead of max: V8's NaN-propagating f64x2.max is several times slower.
 */
export function maxAbs(a: usize, len: i32): f64 {
  let m0 = f64x2.splat(0), m1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const o = <usize>k << 3;
    m0 = f64x2.pmax(m0, f64x2.abs(v128.load(a + o)));
    m1 = f64x2.pmax(m1, f64x2.abs(v128.load(a + o, 16)));
  }
  m0 = f64x2.pmax(m0, m1);
  let m = max(f64x2.extract_lane(m0, 0), f64x2.extract_lane(m0, 1));
  for (; k < len; k++) m = max(m, abs(load<f64>(a + (<usize>k << 3))));
  return m;
}

/** Index of the first NaN or ±Infinity among len entries, or −1. */
export function firstNonFinite(a: usize, len: i32): i32 {
  // x − x is 0 for finite x and NaN otherwise; scan in chunks, locate inside a bad chunk.
  const CH = 64;
  for (let k0 = 0; k0 < len; k0 += CH) {
    const k1 = min(len, k0 + CH);
    let acc = f64x2.splat(0);
    let k = k0;
    for (; k + 2 <= k1; k += 2) {
      const v = v128.load(a + (<usize>k << 3));
      acc = f64x2.add(acc, f64x2.sub(v, v));
    }
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; k < k1; k++) {
      const v = load<f64>(a + (<usize>k << 3));
      s += v - v;
    }
    if (s != 0 || s != s) {
      for (k = k0; k < k1; k++) {
        const v = load<f64>(a + (<usize>k << 3));
        if (v - v != 0) return k;
      }
    }
  }
  return -1;
}
