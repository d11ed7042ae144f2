/**
 * The Kafka header a label correction carries: the label joiner (DRIFTLINE_JOINER_DUPLICATE_LABELS=last)
 * emits a second JoinedPrediction for the same prediction with `correction: true`, and this header holds
 * the label it replaces, JSON-encoded, so a consumer can take the earlier pair out of its figures.
 */
export const PREVIOUS_LABEL_HEADER = 'driftline.correction.previous-label';

/** The header value for a replaced label. */
export function encodePreviousLabel(label: string | number): string {
  return JSON.stringify(label);
}

/**
 * The replaced label in a header value, or undefined when the header is absent or holds anything but a
 * JSON string or finite number (the previous label is then unknown).
 */
export function decodePreviousLabel(
  value: Buffer | string | readonly (Buffer | string)[] | undefined,
): string | number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  try {
    const label: unknown = JSON.parse(raw.toString());
    if (typeof label === 'string') return label;
    if (typeof label === 'number' && Number.isFinite(label)) return label;
  } catch {
    // not JSON: unknown
  }
  return undefined;
}
