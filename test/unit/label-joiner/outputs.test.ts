import avro from 'avsc';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS } from '../../../services/core/src/kafka/dead-letter.ts';
import { decodeJoinExpiration } from '../../../services/core/src/kafka/join-expiration.ts';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { readSchema } from '../../../services/core/src/records/schema-files.ts';
import { createCodecs } from '../../../services/core/src/serde/codecs.ts';
import { JOINER_TASK_HEADER } from '../../../services/core/src/serde/joiner-task-header.ts';
import { PREVIOUS_LABEL_HEADER } from '../../../services/core/src/serde/previous-label-header.ts';
import type { JoinOutput } from '../../../services/label-joiner/src/join-processor.ts';
import { createJoinerMetrics } from '../../../services/label-joiner/src/joiner-metrics.ts';
import { countDeadLetters, countOutputs, toMessages } from '../../../services/label-joiner/src/outputs.ts';

const codecs = createCodecs({
  writerType: async () => avro.Type.forSchema(readSchema('JoinedPrediction') as avro.Schema),
});
codecs.joined.schemaId = 42;
const pair: JoinedPrediction = {
  prediction_id: 'p1',
  model_id: 'churn',
  model_version: 'v2',
  predicted_at: 1000,
  labeled_at: 61_000,
  predicted_label: 'a',
  predicted_value: null,
  scores: null,
  label: 'b',
  tags: { region: 'eu' },
  correction: false,
};
const ctx = { codecs, groundTruthTopic: 'gt', deadLetterOrphans: true, now: 5, task: 3, tasks: 6 };
const orphan: JoinOutput = {
  type: 'expired',
  expiration: {
    prediction_id: 'o1',
    model_id: '',
    model_version: '',
    kind: 'orphan',
    event_at: 7,
    expired_at: 86_400_007,
  },
  source: { partition: 2, offset: '99', value: Buffer.from('raw label bytes') },
};

describe('toMessages', () => {
  it('shouldKeyJoinedPairsByModelInTheConfluentWireFormatNamingTheirTask', async () => {
    const { joined } = toMessages([{ type: 'joined', pair, previousLabel: null }], [], ctx);
    expect(joined[0]!.key).toBe('churn');
    expect((joined[0]!.value as Buffer).readUInt32BE(1)).toBe(42);
    expect(await codecs.joined.decode(joined[0]!.value as Buffer)).toEqual(pair);
    expect(joined[0]!.headers).toEqual({ [JOINER_TASK_HEADER]: Buffer.from('3/6') });
  });

  it('shouldNameThePreviousLabelOnACorrection', () => {
    const { joined } = toMessages(
      [{ type: 'joined', pair: { ...pair, correction: true }, previousLabel: 'a' }],
      [],
      ctx,
    );
    expect(joined[0]!.headers).toEqual({
      [JOINER_TASK_HEADER]: Buffer.from('3/6'),
      [PREVIOUS_LABEL_HEADER]: '"a"',
    });
  });

  it('shouldEmitAnExpirationAndDeadLetterTheOrphanWithItsOriginalBytesWhenEnabled', () => {
    const { expired, deadLetters } = toMessages([orphan], [], ctx);
    expect(decodeJoinExpiration(expired[0]!.value as Buffer)).toMatchObject({
      prediction_id: 'o1',
      kind: 'orphan',
    });
    expect(deadLetters[0]!.value!.toString()).toBe('raw label bytes');
    expect(deadLetters[0]!.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'orphan_label',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'gt',
      [DEAD_LETTER_HEADERS.sourcePartition]: '2',
      [DEAD_LETTER_HEADERS.sourceOffset]: '99',
    });
  });

  it('shouldNotDeadLetterOrphansWhenDisabled', () => {
    expect(toMessages([orphan], [], { ...ctx, deadLetterOrphans: false }).deadLetters).toEqual([]);
  });
});

const deadLetterCounter = (registry: Registry) =>
  new Counter({
    name: 'driftline_dead_letters_total',
    help: 'Dead letters.',
    labelNames: ['topic', 'reason'] as const,
    registers: [registry],
  });

describe('countDeadLetters', () => {
  it('shouldCountEachDeadLetterByItsSourceTopicAndReason', async () => {
    const registry = new Registry();
    const metrics = createJoinerMetrics(registry, deadLetterCounter(registry));
    const letter = (topic: string, reason: string) => ({
      key: null,
      value: null,
      headers: { [DEAD_LETTER_HEADERS.sourceTopic]: topic, [DEAD_LETTER_HEADERS.reason]: reason },
    });
    countDeadLetters(
      [
        letter('ml.inference.v1', 'key_mismatch'),
        letter('ml.inference.v1', 'key_mismatch'),
        letter('ml.ground-truth.v1', 'orphan_label'),
      ],
      metrics,
    );
    const text = await registry.metrics();
    expect(text).toContain('driftline_dead_letters_total{topic="ml.inference.v1",reason="key_mismatch"} 2');
    expect(text).toContain(
      'driftline_dead_letters_total{topic="ml.ground-truth.v1",reason="orphan_label"} 1',
    );
  });
});

describe('countOutputs', () => {
  it('shouldCountJoinsExpirationsAndDelaysPerModel', async () => {
    const registry = new Registry();
    const metrics = createJoinerMetrics(registry, deadLetterCounter(registry));
    countOutputs(
      [{ type: 'joined', pair, previousLabel: null }, orphan, { type: 'duplicate', of: 'label' }],
      metrics,
    );
    const text = await registry.metrics();
    expect(text).toContain('driftline_joiner_joined_total{model_id="churn"} 1');
    expect(text).toContain('driftline_joiner_expired_total{model_id="",kind="orphan"} 1');
    expect(text).toContain('driftline_joiner_duplicates_total{of="label"} 1');
    const median =
      /driftline_joiner_label_delay_quantile_seconds\{model_id="churn",quantile="0.5"\} (\S+)/.exec(text);
    expect(Math.abs(Number(median?.[1]) - 60) / 60).toBeLessThanOrEqual(0.01);
    expect(text).toContain('driftline_joiner_label_delay_seconds_bucket{le="60",model_id="churn"} 1');
  });
});
