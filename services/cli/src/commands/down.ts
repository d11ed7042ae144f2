import { stack } from '../stack.ts';
import { availableServices, stopService, stopSupervisor } from '../supervisor.ts';

/**
 * Stops the supervisor, which stops the services gracefully (SIGTERM: finish the batch, commit, close), then
 * the local servers. Services a killed supervisor left behind are stopped one by one.
 */
export async function down(options: { keepServers?: boolean } = {}): Promise<void> {
  if (await stopSupervisor()) console.log(`${'supervisor'.padEnd(20)} stopped with its services`);
  for (const name of [...availableServices()].reverse()) {
    if (await stopService(name)) console.log(`${name.padEnd(20)} stopped`);
  }
  if (!options.keepServers) stack('stop');
}
