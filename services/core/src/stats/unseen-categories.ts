/**
 * Share of window observations whose category never occurs in the reference.
 */

import type { CategoryCounts } from './category-counts.ts';
import { EmptySampleError } from './errors.ts';

/** Result of {@link unseenCategoryShare}. */
export interface UnseenCategories {
  /** unseenCount / window n (non-missing) */
  share: number;
  /** window observations in unseen categories */
  unseenCount: number;
  /** the unseen categories, sorted */
  categories: string[];
}

/**
 * Share of non-missing window observations in categories absent from the reference.
 *
 * @param reference - reference counts
 * @param window - window counts
 * @throws {EmptySampleError} the window has no non-missing observation (not retriable)
 * @example
 * unseenCategoryShare(ref, win); // { share: 0.25, unseenCount: 5, categories: ['new'] }
 */
export function unseenCategoryShare(reference: CategoryCounts, window: CategoryCounts): UnseenCategories {
  if (window.n === 0) throw new EmptySampleError('window');
  let unseenCount = 0;
  const categories: string[] = [];
  for (const [k, c] of window.counts) {
    if (reference.count(k) === 0) {
      unseenCount += c;
      categories.push(k);
    }
  }
  return { share: unseenCount / window.n, unseenCount, categories: categories.sort() };
}
