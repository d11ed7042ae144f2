/**
 * The verdict benchmark: streams with known truth through the same processing code the services use
 * (in-process), today's rules side by side with the current ones. Seeded and deterministic.
 *
 *   npx tsx bench/verdicts.ts            (or `npm run bench -- verdicts`)
 *   npx tsx bench/verdicts.ts accuracy   (only the scenarios whose name or label delay contains "accuracy")
 *
 * Per scenario: false alerts per 100 stationary model-windows (every kind together; a window of a model
 * version with no change in force is stationary), and for the change the detection delay (windows after its
 * first window, and events of the changed version that had reached the pipeline) or a miss. Prints a markdown
 * table for the README.
 */
import { configs } from './verdicts/configs.ts';
import { referenceProfiles } from './verdicts/profiles.ts';
import { runScenario } from './verdicts/run-scenario.ts';
import { scenarios } from './verdicts/scenarios.ts';
import { scoreRun } from './verdicts/score.ts';
import { goalLines, markdownTable, type ScenarioScores } from './verdicts/table.ts';

const filter = process.argv[2];
const runs = configs();
const profiles = referenceProfiles();
const rows: ScenarioScores[] = [];
const t0 = performance.now();
for (const s of scenarios().filter((x) => !filter || `${x.name} ${x.delay.name}`.includes(filter))) {
  const started = performance.now();
  const run = runScenario(s, runs, profiles);
  const scores = scoreRun(run);
  rows.push({ scenario: s, scores });
  const took = ((performance.now() - started) / 1000).toFixed(1);
  const brief = scores.map((c) => `${c.config}: ${c.falseAlerts} false, ${JSON.stringify(c.detection)}`);
  console.error(`${s.name} @ ${s.eventsPerWindow}/window, ${s.delay.name}: ${took} s; ${brief.join('; ')}`);
}
console.log(
  `\nVerdicts: ${runs.map((c) => `${c.name} = ${c.rulesFile} + ${JSON.stringify(c.env)}`).join('; ')}\n`,
);
console.log(markdownTable(rows));
console.log('');
for (const line of goalLines(rows)) console.log(line);
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const wall = (performance.now() - t0) / 1000;
console.log(`\n${rows.length} scenarios in ${wall.toFixed(0)} s (${cpuSeconds.toFixed(0)} s of CPU)`);
