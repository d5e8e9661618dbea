import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, ROOT, stackEnv, waitForHealth } from '../scripts/stack';
import { gatewayUrl, gql, newResidentId, REGISTER, stack, token } from './client';

/**
 * The explorer as a newcomer meets it (issue 16), in headless Chromium (Debian's `chromium`, which
 * .ci/run installs) with every request to anywhere but this machine aborted: it renders, opens on the
 * public examples without a token, signs in as a role with a development token (a gateway started
 * with NODE_ENV=development beside the shared stack), lists that role's examples as tabs and runs one.
 */

const DEV_TOKEN_PATH = '/graphql/dev-token';
const CHROMIUM = '/usr/bin/chromium';

let devGateway: ChildProcess;
let devUrl: string;
let browser: Browser;
let profile: string;

beforeAll(async () => {
  const port = await freePort();
  devUrl = `http://127.0.0.1:${port}`;
  devGateway = spawn(process.execPath, [join(ROOT, 'dist', 'gateway', 'main.js')], {
    env: { ...stackEnv(stack), NODE_ENV: 'development', GATEWAY_PORT: String(port) },
    stdio: 'ignore',
  });
  profile = mkdtempSync(join(tmpdir(), 'explorer-chromium-'));
  [browser] = await Promise.all([
    chromium
      .launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      })
      .then((context) => context.browser() ?? Promise.reject(new Error('no browser'))),
    waitForHealth(`${devUrl}/health`, 30_000),
  ]);
});

afterAll(async () => {
  await browser?.close();
  devGateway?.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
});

describe('development tokens', () => {
  const mint = (url: string, body: object) =>
    fetch(`${url}${DEV_TOKEN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('are refused (404) outside NODE_ENV=development', async () => {
    const response = await mint(gatewayUrl, { role: 'ADMIN' });
    expect(response.status).toBe(404);
    // …and the explorer there does not offer them.
    const html = await (await fetch(`${gatewayUrl}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('data-dev-tokens="false"');
  });

  test('are minted in development for each role; an app user by person id, or by resident id number and name', async () => {
    const answer = await mint(devUrl, { role: 'ANALYST' });
    expect(answer.status).toBe(200);
    const { token: analyst } = (await answer.json()) as { token: string };
    expect(decodeJwt(analyst)).toMatchObject({ role: 'ANALYST' });
    expect((await gql('{ mutualAidSummary(regionCode: "350100") { settlements } }', {}, { token: analyst })).errors).toBeUndefined();

    const idNumber = newResidentId('350102');
    const registered = await gql(
      REGISTER,
      { input: { idNumber, name: '林测试', regionCode: '350100', scheme: 'EMPLOYEE' } },
      { token: await token({ role: 'ADMIN' }) },
    );
    const personId = registered.data.registerInsured.id as string;
    const byNumber = (await (await mint(devUrl, { role: 'INSURED', idNumber, name: '林测试' })).json()) as { token: string };
    expect(decodeJwt(byNumber.token)).toMatchObject({ role: 'INSURED', personId });
    const byId = (await (await mint(devUrl, { role: 'INSURED', personId })).json()) as { token: string };
    expect(decodeJwt(byId.token)).toMatchObject({ role: 'INSURED', personId });
    const wrongName = await mint(devUrl, { role: 'INSURED', idNumber, name: '林别人' });
    expect(wrongName.status).toBe(400);
    expect(((await wrongName.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

/** The titles of GraphiQL's tabs, in order. */
async function tabTitles(page: Page): Promise<string[]> {
  await page.locator('.graphiql-tab').first().waitFor();
  return (await page.locator('.graphiql-tab').allInnerTexts()).map((title) => title.trim());
}

test('the explorer renders offline, opens on the public examples, signs in as a role and runs its first example', async () => {
  const page = await browser.newPage();
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1') return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  /** The root Query fields of the schema the explorer introspected last. */
  const introspected = () =>
    page
      .waitForResponse((response) => response.request().postData()?.includes('__schema') ?? false)
      .then(async (response) => {
        const body = (await response.json()) as {
          errors?: unknown;
          data: { __schema: { types: Array<{ name: string; fields: Array<{ name: string }> | null }> } };
        };
        expect(body.errors).toBeUndefined();
        return (body.data.__schema.types.find((type) => type.name === 'Query')?.fields ?? []).map((field) => field.name).sort();
      });
  try {
    const anonymousSchema = introspected();
    await page.goto(`${devUrl}/graphql`);
    expect(await tabTitles(page)).toEqual(['RegionPolicies']);
    expect(await anonymousSchema).toEqual(['region', 'regions']);

    await page.selectOption('select[name=role]', 'ANALYST');
    const analystSchema = introspected();
    await Promise.all([page.waitForEvent('load'), page.click('#dev-token')]);
    expect(await tabTitles(page)).toEqual(['MonthlyStatistics', 'ByRelationshipAndScheme', 'RegionSummary']);
    expect(await analystSchema).toEqual(['mutualAidStatistics', 'mutualAidSummary', 'region', 'regions']);

    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('suppressedCells').waitFor();
    expect(await page.locator('.graphiql-response').textContent()).not.toMatch(/errors/);

    // An app user signs in by his id number and name; the app's examples then run for him as they are.
    const idNumber = newResidentId('350102');
    await gql(
      REGISTER,
      { input: { idNumber, name: '林浏览', regionCode: '350100', scheme: 'EMPLOYEE' } },
      { token: await token({ role: 'ADMIN' }) },
    );
    await page.selectOption('select[name=role]', 'INSURED');
    await page.fill('input[name=idNumber]', idNumber);
    await page.fill('input[name=name]', '林浏览');
    await Promise.all([page.waitForEvent('load'), page.click('#dev-token')]);
    expect((await tabTitles(page))[0]).toBe('MyAccount');
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('林浏览').waitFor();
    expect(await page.locator('.graphiql-response').textContent()).not.toMatch(/errors/);
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await page.close();
  }
});
