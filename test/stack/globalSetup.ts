import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort, ROOT, saveState, stackEnv, startProcess, waitForHealth, type StackState } from './stack';

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const state: StackState = {
    prefix: `t${Date.now().toString(36)}${process.pid.toString(36)}`,
    mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    jwtSecret: 'test-jwt-secret-0123456789abcdef',
    serviceSecret: 'test-service-secret-0123456789abcdef',
    ports: { gateway: await freePort(), accounts: await freePort() },
    pids: [],
  };
  const env = stackEnv(state);
  const accounts = startProcess('subgraphs/accounts/main.js', env);
  const gateway = startProcess('gateway/main.js', env);
  state.pids = [accounts.pid!, gateway.pid!];
  saveState(state);
  await waitForHealth(`http://127.0.0.1:${state.ports.gateway}/health`);
}
