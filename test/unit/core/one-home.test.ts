import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceSources, withoutComments } from './service-sources.ts';

/**
 * One concept, one home: the Kafka Streams machinery and the duration grammar live in services/core, and a
 * service reaches them only through core (openFencedProducer, restoreChangelog / changelogEnds,
 * core/windows/duration.ts). A copy in a service drifts: a zombie that is not fenced, a `60m` window that
 * matches nothing. Each rule is a pattern over a service's source with its comments removed. ClickHouse
 * inserts have one home even inside core: the writer (core/clickhouse/writer.ts), with its one retry policy.
 */
interface Rule {
  concept: string;
  /** the core module a service must use instead */
  home: string;
  violates: (code: string) => boolean;
}

const UNIT = '(?:ms|s|m|h|d|w)';

const INSERT_RULE: Rule = {
  concept: 'inserts into ClickHouse',
  home: 'services/core/src/clickhouse/writer.ts (ClickHouseWriter)',
  // the client's insert: `client.insert({ table, values, format })`, or any `.insert(` on a client or clickhouse,
  // or an exec that sends a body (`client.exec({ query: 'INSERT ... FORMAT RowBinary', values })`)
  violates: (code) =>
    /\.insert\(\s*\{[^)]*\b(?:table|values|format)\b/s.test(code) ||
    /\b\w*(?:clickhouse|client)\s*\??\.insert\(/i.test(code) ||
    /\.exec\(\s*\{[^)]*\bvalues\b/s.test(code),
};
const WRITER = path.join('services', 'core', 'src', 'clickhouse', 'writer.ts');

const RULES: readonly Rule[] = [
  {
    concept: 'opens a transactional producer',
    home: 'services/core/src/kafka/fenced-producer.ts (openFencedProducer)',
    // a kafkajs producer created with a transactional id: `kafka.producer({ ..., transactionalId })`
    violates: (code) => /\.producer\(\s*\{[^)]*\btransactionalId\b/s.test(code),
  },
  {
    concept: 'restores a changelog',
    home: 'services/core/src/kafka/changelog-restorer.ts (restoreChangelog, changelogEnds)',
    // a throwaway restore group of its own, or a consumer / end-offset read in a file that names a changelog
    violates: (code) =>
      /-restore-/.test(code) ||
      (/changelog/i.test(code) && /\.consumer\(|\.subscribe\(|fetchTopicOffsets\(/.test(code)),
  },
  {
    concept: 'parses a duration string',
    home: 'services/core/src/windows/duration.ts (durationMs, parseDuration, normalDuration)',
    // an alternation of three time units (`(ms|s|m|h)`), or a table from a unit to its milliseconds
    violates: (code) =>
      new RegExp(`(?<![\\w])${UNIT}\\|${UNIT}\\|${UNIT}(?![\\w])`).test(code) ||
      /(?<![\w.])['"]?(?:m|min)['"]?\s*:\s*60_?000\b|(?<![\w.])['"]?h['"]?\s*:\s*3_?600_?000\b/.test(code),
  },
];

const offenders = (rule: Rule, sources: { file: string; code: string }[]) =>
  sources.filter((s) => rule.violates(s.code)).map((s) => `${s.file} ${rule.concept}: use ${rule.home}`);

describe('one home per streams concept', () => {
  const sources = serviceSources();

  it('shouldReadEveryServiceSourceOutsideCore', () => {
    expect(sources.some((s) => s.file.startsWith(path.join('services', 'alerter')))).toBe(true);
    expect(sources.some((s) => s.file.startsWith(path.join('services', 'core')))).toBe(false);
  });

  for (const rule of RULES) {
    it(`shouldFindNoServiceThat${rule.concept.replace(/(^| )(\w)/g, (_m, _s, c: string) => c.toUpperCase())}OutsideCore`, () => {
      expect(offenders(rule, sources)).toEqual([]);
    });
  }

  it('shouldFindNoFileInServicesThatInsertsIntoClickHouseOutsideTheWriter', () => {
    const all = serviceSources(true);
    expect(all.some((s) => s.file === WRITER && INSERT_RULE.violates(s.code))).toBe(true);
    expect(
      offenders(
        INSERT_RULE,
        all.filter((s) => s.file !== WRITER),
      ),
    ).toEqual([]);
  });
});

describe('the patterns', () => {
  const violates = (concept: string, code: string) =>
    [...RULES, INSERT_RULE].find((r) => r.concept === concept)!.violates(code);

  it.each([
    [
      'opens a transactional producer',
      `const p = rt.kafka.producer({ transactionalId: id, idempotent: true });`,
    ],
    ['opens a transactional producer', `kafka.producer({\n  idempotent: true,\n  transactionalId,\n})`],
    ['restores a changelog', 'const c = kafka.consumer({ groupId: `${group}-restore-${uuid()}` });'],
    ['restores a changelog', `const ends = await admin.fetchTopicOffsets(changelogTopic);`],
    ['restores a changelog', `await consumer.subscribe({ topics: [spec.changelog], fromBeginning: true });`],
    ['parses a duration string', `const m = /^(\\d+)(ms|s|m|h|d)$/.exec(text);`],
    ['parses a duration string', `const UNITS = { s: 1000, m: 60_000, h: 3_600_000 };`],
    ['parses a duration string', `const UNITS = { 'm': 60000 };`],
    [
      'inserts into ClickHouse',
      "await clickhouse.insert({ table: `${db}.inference_log`, values: rows, format: 'JSONEachRow' });",
    ],
    ['inserts into ClickHouse', `await this.client.insert({\n  table,\n  values,\n})`],
    ['inserts into ClickHouse', `await deps.clickhouse.insert(params);`],
    [
      'inserts into ClickHouse',
      'const { stream } = await client.exec({ query: `INSERT INTO ${t} FORMAT RowBinary`, values: body });',
    ],
  ])('shouldCatchAServiceThat %s: %s', (concept, code) => {
    expect(violates(concept, code)).toBe(true);
  });

  it.each([
    [
      'opens a transactional producer',
      `const producer = await openFencedProducer(kafka, { transactionalId, transactionTimeoutMs });`,
    ],
    [
      'opens a transactional producer',
      `const producer = rt.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });`,
    ],
    [
      'restores a changelog',
      `const ends = await changelogEnds(admin, topic, [0]);\nawait restoreChangelog({ kafka, topic, ends });`,
    ],
    ['restores a changelog', `const dead = await admin.fetchTopicOffsets(deadLetterTopic);`],
    ['parses a duration string', `const ms = parseDuration(text, 'DRIFTLINE_DRIFT_WINDOW');`],
    ['parses a duration string', `const LOOKBACK_MS = 7 * 86_400_000; const x = a.m * 60_000;`],
    ['inserts into ClickHouse', `await writer.insert(db, 'inference_log', rows);`],
    ['inserts into ClickHouse', `await this.insert('drift_metrics', rows); this.window.insert(x);`],
    ['inserts into ClickHouse', `await writer.insertRowBinary(db, target, rows);`],
    ['inserts into ClickHouse', `const m = /^(\\d+)$/.exec(values);`],
  ])('shouldLetThroughAServiceThatGoesThroughCore %s: %s', (concept, code) => {
    expect(violates(concept, code)).toBe(false);
  });

  it('shouldIgnoreCommentsThatNameAConcept', () => {
    const code = withoutComments(
      '// a supervisor starts it afresh from the changelog\nconsumer.subscribe({ topics });',
    );
    expect(violates('restores a changelog', code)).toBe(false);
  });
});
