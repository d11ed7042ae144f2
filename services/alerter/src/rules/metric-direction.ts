/** Figures where smaller is better (errors and losses); every other figure is better when larger. */
const LOWER_IS_BETTER = new Set(['mae', 'rmse', 'mape', 'log_loss', 'brier', 'ece']);

/** +1 when a larger value is better, -1 when a smaller one is. */
export function betterDirection(metric: string): 1 | -1 {
  return LOWER_IS_BETTER.has(metric) ? -1 : 1;
}
