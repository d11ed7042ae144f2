import { Command } from 'commander';
import { settingsTable } from '../../core/src/config/load.ts';
import { describe } from '../../core/src/errors.ts';
import { demo } from './commands/demo.ts';
import { down } from './commands/down.ts';
import { migrateCommand } from './commands/migrate.ts';
import { status } from './commands/status.ts';
import { up } from './commands/up.ts';
import { applyLocalStackDefaults } from './local-env.ts';
import { importServiceSettings } from './service-settings.ts';

applyLocalStackDefaults();

const program = new Command('driftline').description(
  'Streaming ML model monitoring on Kafka and ClickHouse.',
);

program.command('up').description('start the local servers and all pipeline services').action(up);
program
  .command('down')
  .description('stop the services gracefully, then the local servers')
  .option('--keep-servers', 'stop only the services')
  .action((o: { keepServers?: boolean }) => down(o));
program.command('status').description('servers, services and consumer lag').action(status);
program.command('migrate').description('apply pending ClickHouse migrations').action(migrateCommand);
program
  .command('demo')
  .description('start everything, produce realistic traffic, show what the pipeline makes of it')
  .option('--events <n>', 'predictions to simulate', '20000')
  .option('--keep-running', 'leave the stack up afterwards')
  .action((o: { events: string; keepRunning?: boolean }) =>
    demo({ events: Number(o.events), keepRunning: !!o.keepRunning }),
  );
program
  .command('config')
  .description('print every setting with its environment variable and default (Markdown)')
  .action(async () => {
    await importServiceSettings();
    console.log(settingsTable());
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`driftline: ${describe(error)}`);
  process.exit(1);
});
