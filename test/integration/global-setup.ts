// vitest globalSetup for the integration project: brings up Kafka, the schema
// registry and ClickHouse through infra/stack.sh (which reuses servers that are
// already running) and stops on teardown only the ones this run started.
//
// Env: DRIFTLINE_KEEP_STACK=1 keeps everything running after the run;
// DRIFTLINE_STACK=external uses servers named by DRIFTLINE_KAFKA_BROKERS,
// DRIFTLINE_SCHEMA_REGISTRY_URL and DRIFTLINE_CLICKHOUSE_URL and starts nothing.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STACK = path.join(ROOT, 'infra', 'stack.sh');

function setEnvDefaults(): void {
  const env = process.env;
  // Derived from the same port variables infra/stack.sh reads.
  env.DRIFTLINE_KAFKA_BROKERS ??= `127.0.0.1:${env.DRIFTLINE_KAFKA_PORT ?? '9092'}`;
  env.DRIFTLINE_SCHEMA_REGISTRY_URL ??= `http://127.0.0.1:${env.DRIFTLINE_REGISTRY_PORT ?? '8081'}/apis/ccompat/v7`;
  env.DRIFTLINE_CLICKHOUSE_URL ??= `http://127.0.0.1:${env.DRIFTLINE_CLICKHOUSE_HTTP_PORT ?? '8123'}`;
  // kafkajs warns once per process about its v2 default partitioner otherwise.
  env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
}

function dockerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info'], { timeout: 5_000 }, (error) => resolve(!error));
  });
}

/** Runs infra/stack.sh, echoing its output; resolves with stdout. */
function stack(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [STACK, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new Error(`bash infra/stack.sh ${args.join(' ')} exited with ${code}; see the messages above`),
        );
    });
  });
}

export default async function setup(): Promise<() => Promise<void>> {
  setEnvDefaults();
  if (process.env.DRIFTLINE_STACK === 'external') {
    console.log('DRIFTLINE_STACK=external: using the servers named by DRIFTLINE_* variables');
    return async () => {};
  }
  // Where a Docker engine answers, the official images of docker-compose.yml
  // could run instead. The native stack runs the same server versions on
  // every machine, Docker or not, so it is used in both cases.
  if (await dockerAnswers()) {
    console.log('Docker engine found; still using the native infra/stack.sh (same servers, faster start)');
  } else {
    console.log('no Docker engine: using native infra/stack.sh');
  }

  const out = await stack(['start']);
  // "kafka      healthy in 6.2 s ..." is printed only for servers this call launched;
  // reused ones say "already running".
  const started = [...out.matchAll(/^(\w+)\s+healthy in /gm)].map((m) => m[1]!);

  return async () => {
    if (started.length === 0) return;
    if (process.env.DRIFTLINE_KEEP_STACK === '1') {
      console.log(`DRIFTLINE_KEEP_STACK=1: leaving ${started.join(', ')} running`);
      return;
    }
    await stack(['stop', ...started]);
  };
}
