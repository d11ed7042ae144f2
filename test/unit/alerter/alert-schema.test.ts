import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

type Field = { name: string; type: unknown };
type RecordSchema = { fields: Field[] };

const current = JSON.parse(readFileSync(path.join(ROOT, 'schemas/alert.avsc'), 'utf8')) as RecordSchema;
const ADDED_TO_ALERT = ['provisional'];
const ADDED_TO_EVIDENCE = [
  'test',
  'interval_low',
  'interval_high',
  'baseline',
  'baseline_count',
  'sample_count',
  'baseline_source',
  'effect_size',
];

/** The alert schema as it was before the verdict fields: the writer of alerts already in topics. */
function previous(): RecordSchema {
  const copy = structuredClone(current);
  copy.fields = copy.fields.filter((f) => !ADDED_TO_ALERT.includes(f.name));
  const evidence = copy.fields.find((f) => f.name === 'evidence')!.type as { items: RecordSchema };
  evidence.items.fields = evidence.items.fields.filter((f) => !ADDED_TO_EVIDENCE.includes(f.name));
  return copy;
}

const OLD_ALERT = {
  alert_id: 'a',
  model_id: 'm',
  model_version: '1',
  kind: 'PERFORMANCE',
  severity: 'WARNING',
  status: 'FIRING',
  window_start: 0,
  window_end: 1,
  metric: 'accuracy_drop_pct',
  value: 3,
  threshold: 2,
  message: 'x',
  evidence: [
    { subject: 'accuracy', subject_type: 'metric', method: 'drop', score: 3, p_value: null, threshold: 2 },
  ],
  diagnosis: null,
  created_at: null,
};

describe('alert schema', () => {
  it('shouldReadAlertsWrittenBeforeTheVerdictFieldsWhenReadWithTheNewSchema', () => {
    const oldType = avro.Type.forSchema(previous() as avro.Schema);
    const newType = avro.Type.forSchema(current as unknown as avro.Schema);
    const read = newType.fromBuffer(oldType.toBuffer(OLD_ALERT), newType.createResolver(oldType)) as Record<
      string,
      unknown
    >;
    expect(read.provisional).toBe(false);
    expect((read.evidence as Record<string, unknown>[])[0]).toMatchObject({
      test: null,
      baseline_count: null,
    });
  });

  it('shouldGiveEveryAddedFieldADefault', () => {
    const evidence = (current.fields.find((f) => f.name === 'evidence')!.type as { items: RecordSchema })
      .items;
    const added = [
      ...current.fields.filter((f) => ADDED_TO_ALERT.includes(f.name)),
      ...evidence.fields.filter((f) => ADDED_TO_EVIDENCE.includes(f.name)),
    ];
    expect(added).toHaveLength(ADDED_TO_ALERT.length + ADDED_TO_EVIDENCE.length);
    for (const f of added) expect(f, f.name).toHaveProperty('default');
  });
});
