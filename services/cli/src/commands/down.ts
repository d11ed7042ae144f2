import { availableServices, stopService } from '../supervisor.ts';
import { stack } from '../stack.ts';

/** Stops the services gracefully (SIGTERM: finish the batch, commit, close), then the local servers. */
export async function down(options: { keepServers?: boolean } = {}): Promise<void> {
  for (const name of [...availableServices()].reverse()) {
    if (await stopService(name)) console.log(`${name.padEnd(20)} stopped`);
  }
  if (!options.keepServers) stack('stop');
}
