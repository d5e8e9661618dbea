import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stack } from './client';
import { freePort, metricsHeaders, ROOT, stackEnv, waitForHealth } from '../scripts/stack';
import { signingKey } from '../gateway/signingKeys';

/** A production gateway verifies the identity provider's keys: here a key set in a file, with the provider and this API named. */
async function providerKeys(): Promise<NodeJS.ProcessEnv> {
  const file = join(mkdtempSync(join(tmpdir(), 'jwks-')), 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [(await signingKey('ES256')).publicJwk] }));
  return { JWT_JWKS_FILE: file, JWT_ISSUER: 'https://sso.ybj.example/realms/ybj', JWT_AUDIENCE: 'mutual-aid-api' };
}

function run(script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
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
    ...stackEnv(stack),
    NODE_ENV: 'production',
    JWT_SECRET: 'a-production-like-jwt-secret-0123',
    SERVICE_SECRET: 'a-production-like-service-secret-0',
    // Only the gateway reads caller tokens: a subgraph needs no key source.
    ...(script.startsWith('gateway/') ? await providerKeys() : {}),
    [portVariable]: String(port),
    LOG_LEVEL: 'info',
  });
  await waitForHealth(`http://127.0.0.1:${port}/metrics`, 30_000, metricsHeaders(stack));
  replica.child.kill('SIGTERM');
  expect(await replica.exited).toBe(0);
  expect(replica.output()).toContain('stopped');
});

test.each([['a malformed regions file names the field', { retainedFloor: '-5' }, /regions\.0\.policy\.retainedFloor/]])(
  '%s and stops start-up',
  async (_name, change, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'regions-'));
    const file = join(dir, 'regions.json');
    const regions = JSON.parse(readFileSync(join(ROOT, 'config', 'regions.json'), 'utf8'));
    Object.assign(regions.regions[0].policy, change);
    writeFileSync(file, JSON.stringify(regions));
    const broken = run('subgraphs/accounts/main.js', { ...stackEnv(stack), ACCOUNTS_PORT: String(await freePort()), REGIONS_CONFIG: file });
    expect(await broken.exited).toBe(1);
    expect(broken.output()).toMatch(message);
  },
);

/** Issue 11, item 7: production needs explicit secrets of at least 32 characters, never a published one, never the same twice. */
const JWT = 'a-production-like-jwt-secret-0123';
const SERVICE = 'a-production-like-service-secret-0';
test.each<[string, string, string, NodeJS.ProcessEnv, RegExp]>([
  ['JWT_SECRET unset', 'gateway/main.js', 'GATEWAY_PORT', { JWT_SECRET: undefined, SERVICE_SECRET: SERVICE }, /JWT_SECRET.*not set/],
  [
    'SERVICE_SECRET unset',
    'subgraphs/accounts/main.js',
    'ACCOUNTS_PORT',
    { JWT_SECRET: JWT, SERVICE_SECRET: undefined },
    /SERVICE_SECRET.*not set/,
  ],
  [
    'SERVICE_SECRET of 31 characters',
    'subgraphs/family/main.js',
    'FAMILY_PORT',
    { JWT_SECRET: JWT, SERVICE_SECRET: 's'.repeat(31) },
    /SERVICE_SECRET.*at least 32/,
  ],
  [
    'JWT_SECRET of 20 characters',
    'subgraphs/settlements/main.js',
    'SETTLEMENTS_PORT',
    { JWT_SECRET: 'j'.repeat(20), SERVICE_SECRET: SERVICE },
    /JWT_SECRET.*at least 32/,
  ],
  [
    'the development default',
    'gateway/main.js',
    'GATEWAY_PORT',
    { JWT_SECRET: JWT, SERVICE_SECRET: 'dev-service-secret-change-me' },
    /SERVICE_SECRET.*placeholder/,
  ],
  [
    'a placeholder once published in docker-compose.yml',
    'subgraphs/accounts/main.js',
    'ACCOUNTS_PORT',
    { JWT_SECRET: 'change-me-jwt-secret-for-compose', SERVICE_SECRET: SERVICE },
    /JWT_SECRET.*placeholder/,
  ],
  [
    'one secret for both uses',
    'gateway/main.js',
    'GATEWAY_PORT',
    { JWT_SECRET: JWT, SERVICE_SECRET: JWT },
    /JWT_SECRET and SERVICE_SECRET.*differ/,
  ],
  [
    'a gateway with no key source of the identity provider',
    'gateway/main.js',
    'GATEWAY_PORT',
    { JWT_SECRET: JWT, SERVICE_SECRET: SERVICE },
    /JWT_JWKS_URL or JWT_JWKS_FILE: production verifies tokens with the identity provider's keys/,
  ],
])(
  'production refuses %s: exit 1 naming the variable, never printing the secret',
  async (_name, script, portVariable, secrets, message) => {
    const env: NodeJS.ProcessEnv = { ...stackEnv(stack), NODE_ENV: 'production', [portVariable]: String(await freePort()), ...secrets };
    for (const name of ['JWT_SECRET', 'SERVICE_SECRET']) if (env[name] === undefined) delete env[name];
    const service = run(script, { ...env, LOG_LEVEL: 'info' });
    // Either it stops at once, or it logs that it listens: then it accepted the secrets, and the test fails without waiting.
    const listening = new Promise<'listening'>((resolve) =>
      service.child.stdout.on('data', (chunk) => {
        if (String(chunk).includes('listening')) resolve('listening');
      }),
    );
    const outcome = await Promise.race([service.exited, listening]);
    if (outcome === 'listening') service.child.kill('SIGKILL');
    expect(outcome).toBe(1);
    expect(service.output()).toMatch(message);
    for (const value of [secrets.JWT_SECRET, secrets.SERVICE_SECRET]) if (value) expect(service.output()).not.toContain(value);
  },
);
