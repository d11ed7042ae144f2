/**
 * Bit-level helpers on IEEE-754 doubles: `ldexp` (x · 2^e without overflow in the
 * power) and `nextDown` (the largest double below x).
 */

const view = new DataView(new ArrayBuffer(8));

/**
 * x · 2^e, splitting the power so that 2^e itself never over- or underflows.
 *
 * @param x - mantissa
 * @param e - integer exponent
 * @example
 * ldexp(1, -1074); // = Number.MIN_VALUE
 */
export function ldexp(x: number, e: number): number {
  let out = x;
  let rest = e;
  while (rest > 1000) {
    out *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    out *= 2 ** -1000;
    rest += 1000;
  }
  return out * 2 ** rest;
}

/**
 * The largest double strictly below `x` (Math.nextDown in Java).
 *
 * @param x - a finite double
 * @example
 * nextDown(1); // = 1 - 2 ** -53
 */
export function nextDown(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return x;
  if (x === 0) return -Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}
