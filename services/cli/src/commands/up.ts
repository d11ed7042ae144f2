import { loadConfig } from '../../../core/src/config/load.ts';
import { availableServices, startDetached, waitServiceReady } from '../supervisor.ts';
import { stack } from '../stack.ts';
import { LOG_DIR } from '../paths.ts';

/** Base port of the services' metrics endpoints: sink 9464, then one up per service. */
export const BASE_SERVICE_PORT = Number(process.env.DRIFTLINE_SERVICES_BASE_PORT ?? 9464);

/** Starts the local servers and every pipeline service; waits until each is ready. */
export async function up(): Promise<void> {
  loadConfig(); // fail on bad settings before starting anything
  stack('start');
  const services = availableServices();
  for (const [i, name] of services.entries()) {
    const { pid, fresh } = startDetached(name, {}, BASE_SERVICE_PORT + i);
    console.log(
      `${name.padEnd(20)} ${fresh ? 'started' : 'running'}  pid ${pid}  http://127.0.0.1:${BASE_SERVICE_PORT + i}/metrics`,
    );
  }
  for (const name of services) {
    if (!(await waitServiceReady(name)))
      throw new Error(`${name} did not become ready; see ${LOG_DIR}/${name}.log`);
  }
  console.log('all services ready');
}
