import type { RegistrableTool } from '../tool.ts';
import { agreementRate } from './agreement-rate.ts';
import { alertDetails, openAlerts } from './alerts.ts';
import { driftStatus } from './drift-status.ts';
import { featureDistribution } from './feature-distribution.ts';
import { inferenceSample } from './inference-sample.ts';
import { modelAccuracy } from './model-accuracy.ts';
import { versionComparison } from './version-comparison.ts';

/** Every diagnosis tool, in the order a client lists them. */
export const DIAGNOSIS_TOOLS: readonly RegistrableTool[] = [
  modelAccuracy,
  driftStatus,
  inferenceSample,
  versionComparison,
  featureDistribution,
  openAlerts,
  alertDetails,
  agreementRate,
];
