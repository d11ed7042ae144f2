import { loadConfig } from '../../../core/src/config/load.ts';
import { LOG_DIR } from '../paths.ts';
import { stack } from '../stack.ts';
import {
  availableServices,
  runningPid,
  startSupervisor,
  stopService,
  supervised,
  supervisorPid,
  waitServiceReady,
} from '../supervisor.ts';

/** Base port of the services' metrics endpoints: sink 9464, then one up per service. */
export const BASE_SERVICE_PORT = Number(process.env.DRIFTLINE_SERVICES_BASE_PORT ?? 9464);

/**
 * Starts the local servers and a supervisor of every pipeline service, detached so that this command returns
 * while the supervisor restarts any service that exits; waits until each is ready.
 */
export async function up(): Promise<void> {
  loadConfig(); // fail on bad settings before starting anything
  stack('start');
  const services = availableServices();
  if (!supervisorPid()) {
    // Services an earlier, unsupervised run left behind would run twice.
    for (const name of services) if (runningPid(name)) await stopService(name);
  }
  const { pid, fresh } = startSupervisor(services, BASE_SERVICE_PORT);
  console.log(
    `${'supervisor'.padEnd(20)} ${fresh ? 'started' : 'running'}  pid ${pid}  log ${LOG_DIR}/supervisor.log`,
  );
  for (const name of services) {
    const readiness = await waitServiceReady(name);
    if (!readiness.ready) {
      throw new Error(`${name} did not become ready (${readiness.why}); see ${LOG_DIR}/${name}.log`);
    }
    const s = supervised(name)!;
    console.log(`${name.padEnd(20)} ready    pid ${s.pid}  http://127.0.0.1:${s.port}/metrics`);
  }
  console.log(
    'all services ready; the supervisor restarts any that exits (`driftline status`, `driftline down`)',
  );
}
