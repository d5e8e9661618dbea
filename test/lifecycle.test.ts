import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stack } from './client';
import { freePort, metricsHeaders, ROOT, stackEnv, waitForHealth } from '../scripts/stack';

function run(script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test.each([
  ['a second accounts replica', 'subgraphs/accounts/main.js', 'ACCOUNTS_PORT'],
  ['a second gateway', 'gateway/main.js', 'GATEWAY_PORT'],
])('%s starts (on the migrated databases), then SIGTERM stops it cleanly with exit 0', async (_name, script, portVariable) => {
  const port = await freePort();
  // NODE_ENV=production as deployed (Apollo handles signals differently outside tests), so real-looking secrets.
  const replica = run(script, {
    ...stackEnv(stack), NODE_ENV: 'production', JWT_SECRET: 'a-production-like-jwt-secret-0123', SERVICE_SECRET: 'a-production-like-service-secret-0', [portVariable]: String(port), LOG_LEVEL: 'info',
  });
  await waitForHealth(`http://127.0.0.1:${port}/metrics`, 30_000, metricsHeaders(stack));
  replica.child.kill('SIGTERM');
  expect(await replica.exited).toBe(0);
  expect(replica.output()).toContain('stopped');
});

test.each([
  ['a malformed regions file names the field', { retainedFloor: '-5' }, /regions\.0\.policy\.retainedFloor/],
])('%s and stops start-up', async (_name, change, message) => {
  const dir = mkdtempSync(join(tmpdir(), 'regions-'));
  const file = join(dir, 'regions.json');
  const regions = JSON.parse(readFileSync(join(ROOT, 'config', 'regions.json'), 'utf8'));
  Object.assign(regions.regions[0].policy, change);
  writeFileSync(file, JSON.stringify(regions));
  const broken = run('subgraphs/accounts/main.js', { ...stackEnv(stack), ACCOUNTS_PORT: String(await freePort()), REGIONS_CONFIG: file });
  expect(await broken.exited).toBe(1);
  expect(broken.output()).toMatch(message);
});

test('production refuses the development secrets', async () => {
  const env: NodeJS.ProcessEnv = { ...stackEnv(stack), NODE_ENV: 'production', GATEWAY_PORT: String(await freePort()) };
  delete env.JWT_SECRET;
  delete env.SERVICE_SECRET;
  const gateway = run('gateway/main.js', env);
  expect(await gateway.exited).toBe(1);
  expect(gateway.output()).toMatch(/JWT_SECRET/);
});
