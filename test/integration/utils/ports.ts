/**
 * A random loopback port for a service the tests or benchmarks start, below 32768 where Linux's ephemeral ports
 * begin: any client socket may hold a port above it (the fault suite once failed on EADDRINUSE at 54098).
 * `span` ports from it are free to use too (`driftline up` gives service i the base plus i).
 */
export function randomServicePort(span = 1): number {
  const slots = Math.floor(12_000 / span);
  return 20_000 + Math.floor(Math.random() * slots) * span;
}
