import { DomainError, HTTP_STATUS, messageOf, SharedError } from '../errors';
import { HttpError, startService, type RunningService } from './http';
import { createObservability } from './observability';

/**
 * The HTTP shell answers whatever a request's handler throws with one status per code
 * (HTTP_STATUS), the same table the gateway's refusals and HttpError use.
 */
let service: RunningService;
let thrown: unknown;

beforeAll(async () => {
  service = await startService({
    name: 'http-test',
    host: '127.0.0.1',
    port: 0,
    graceMs: 100,
    observability: createObservability('http-test', 'silent'),
    handle: async () => {
      throw thrown;
    },
    onClose: async () => {},
  });
});

afterAll(() => service.stop());

async function answerTo(error: unknown): Promise<{ status: number; code: string; message: string }> {
  thrown = error;
  const response = await fetch(`http://127.0.0.1:${service.port}/anything`);
  const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
  return { status: response.status, code: body.errors[0].extensions.code, message: body.errors[0].message };
}

test.each([
  ['FORBIDDEN', SharedError.roleMayNot('ANALYST'), 403],
  ['NOT_FOUND', SharedError.noBackend('99'), 404],
  ['SERVICE_UNAVAILABLE', SharedError.databaseUnavailable('43'), 503],
  ['BAD_USER_INPUT', SharedError.cursorInvalid, 400],
])('a DomainError %s is answered with its code and the status of the table', async (_code, outcome, status) => {
  expect(await answerTo(new DomainError(outcome))).toEqual({ status, code: outcome.code, message: messageOf(outcome) });
});

test('an unexpected failure is answered as the masked SERVICE_UNAVAILABLE, with the status of that code', async () => {
  expect(await answerTo(new Error('SELECT * FROM secrets'))).toEqual({
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: messageOf(SharedError.unexpected),
  });
});

test('an HttpError takes its status from its code, unless HTTP itself has a more precise one', () => {
  expect(new HttpError(SharedError.metricsNeedToken).status).toBe(401);
  expect(new HttpError(SharedError.notFound).status).toBe(HTTP_STATUS.NOT_FOUND);
  expect(new HttpError(SharedError.bodyTooLarge(10), { protocolStatus: 413 })).toMatchObject({ status: 413, code: 'BAD_REQUEST' });
});
