/**
 * Drift detectors by name, for configs that choose one per model, and the inverse of `toJSON()`
 * for restoring persisted detectors whatever their class.
 */
import { ADWIN, ADWIN_PARAMS } from './adwin.ts';
import type { AdwinParams } from './adwin.ts';
import { DDM, DDM_PARAMS } from './ddm.ts';
import type { DDMParams } from './ddm.ts';
import type { AnyDriftDetector } from './detector.ts';
import { InvalidDetectorStateError, UnknownDetectorError } from './errors.ts';
import { NO_DRIFT_PARAMS, NoDrift } from './no-drift.ts';
import type { NoDriftParams } from './no-drift.ts';
import { PAGE_HINKLEY_PARAMS, PageHinkley } from './page-hinkley.ts';
import type { PageHinkleyParams } from './page-hinkley.ts';
import type { ParamRules } from './params.ts';

/** Detector classes by registry name. */
export interface DetectorTypes {
  adwin: ADWIN;
  page_hinkley: PageHinkley;
  ddm: DDM;
  no_drift: NoDrift;
}

/** Each detector's params by registry name. */
export interface DetectorParamsByName {
  adwin: AdwinParams;
  page_hinkley: PageHinkleyParams;
  ddm: DDMParams;
  no_drift: NoDriftParams;
}

export type DetectorName = keyof DetectorTypes;

/** What the registry knows of a detector: its params table and how to build or restore it. */
export interface DetectorDescriptor<N extends DetectorName> {
  readonly name: N;
  /** Whether inputs must be 0/1 (an error indicator) rather than any finite number. */
  readonly binary: boolean;
  /** Whether it signals a warning zone (`warningDetected`) as well as drift. */
  readonly warns: boolean;
  readonly params: ParamRules<DetectorParamsByName[N]>;
  readonly create: (params?: Partial<DetectorParamsByName[N]>) => DetectorTypes[N];
  readonly fromJSON: (json: unknown) => DetectorTypes[N];
}

const DESCRIPTORS: { readonly [N in DetectorName]: DetectorDescriptor<N> } = {
  adwin: {
    name: 'adwin',
    binary: false,
    warns: false,
    params: ADWIN_PARAMS,
    create: (p) => new ADWIN(p),
    fromJSON: ADWIN.fromJSON,
  },
  page_hinkley: {
    name: 'page_hinkley',
    binary: false,
    warns: false,
    params: PAGE_HINKLEY_PARAMS,
    create: (p) => new PageHinkley(p),
    fromJSON: PageHinkley.fromJSON,
  },
  ddm: {
    name: 'ddm',
    binary: true,
    warns: true,
    params: DDM_PARAMS,
    create: (p) => new DDM(p),
    fromJSON: DDM.fromJSON,
  },
  no_drift: {
    name: 'no_drift',
    binary: false,
    warns: false,
    params: NO_DRIFT_PARAMS,
    create: (p) => new NoDrift(p),
    fromJSON: NoDrift.fromJSON,
  },
};

/** Valid registry names, in a stable order (used in error messages). */
export const DETECTOR_NAMES: readonly DetectorName[] = Object.freeze(
  Object.keys(DESCRIPTORS) as DetectorName[],
);

/** Whether `name` is a registry name. */
export function isDetectorName(name: string): name is DetectorName {
  return Object.hasOwn(DESCRIPTORS, name);
}

/**
 * The descriptor of a detector: params table with defaults, input domain, signals.
 * @throws UnknownDetectorError (not retriable), listing the valid names
 */
export function describeDetector<N extends DetectorName>(name: N): DetectorDescriptor<N>;
export function describeDetector(name: string): DetectorDescriptor<DetectorName>;
export function describeDetector(name: string): DetectorDescriptor<DetectorName> {
  if (!isDetectorName(name)) throw new UnknownDetectorError(name, DETECTOR_NAMES);
  return DESCRIPTORS[name] as DetectorDescriptor<DetectorName>;
}

/**
 * Create a detector by name.
 *
 * @param name - one of {@link DETECTOR_NAMES}: 'adwin', 'page_hinkley', 'ddm', 'no_drift'
 * @param params - overrides of the detector's defaults (camelCase, e.g. `{ maxBuckets: 3 }`)
 * @throws UnknownDetectorError (not retriable), listing the valid names
 * @throws InvalidDetectorParamError (not retriable), naming the unknown or invalid param
 *
 * @example
 * ```ts
 * const d = createDetector('page_hinkley', { threshold: 20, mode: 'up' });
 * createDetector('adwn'); // throws: unknown drift detector 'adwn'; valid detectors: adwin, page_hinkley, ddm, no_drift
 * ```
 */
export function createDetector<N extends DetectorName>(
  name: N,
  params?: Partial<DetectorParamsByName[N]>,
): DetectorTypes[N];
export function createDetector(name: string, params?: Record<string, unknown>): AnyDriftDetector;
export function createDetector(name: string, params?: Record<string, unknown>): AnyDriftDetector {
  const create = describeDetector(name).create as (p?: Record<string, unknown>) => AnyDriftDetector;
  return create(params);
}

/**
 * Restore any detector from its `toJSON()` output, dispatching on the snapshot's `kind`.
 * @throws InvalidDetectorStateError (not retriable) on an unknown kind or malformed snapshot
 */
export function detectorFromJSON(json: unknown): AnyDriftDetector {
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !isDetectorName(kind)) {
    throw new InvalidDetectorStateError(
      String(kind),
      'kind',
      `unknown detector kind ${JSON.stringify(kind) ?? 'undefined'}; valid kinds: ${DETECTOR_NAMES.join(', ')}`,
    );
  }
  return DESCRIPTORS[kind].fromJSON(json);
}
