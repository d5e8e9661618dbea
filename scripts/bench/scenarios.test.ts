import { counterDayScenario, settleScenario } from './scenarios';
import type { SeededPerson } from './seed';

const patients: SeededPerson[] = Array.from({ length: 50 }, (_, index) => ({
  id: `430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q${String(index).padStart(2, '0')}`,
  regionCode: '430700',
  scheme: 'EMPLOYEE',
  card: `430700.card${index}`,
}));
const callers = { admin: 'admin', terminal: 'terminal', insured: new Map<string, string>() };

function operation(body: string): string {
  return /^(?:query|mutation) (\w+)/.exec((JSON.parse(body) as { query: string }).query)?.[1] ?? 'anonymous';
}

describe('counter scenarios', () => {
  it('settles with each patient’s own card under a new key every time', () => {
    const settle = settleScenario('settle', 'spread', patients, callers);
    const [first, second] = [settle.next({}), settle.next({})];
    const input = (body: string) =>
      (JSON.parse(body) as { variables: { input: { patientId: string; idempotencyKey: string } } }).variables.input;
    expect(first.headers['x-insurance-credential']).toBe(patients.find((patient) => patient.id === input(first.body).patientId)?.card);
    expect(input(first.body).idempotencyKey).not.toBe(input(second.body).idempotencyKey);
    expect(first.identity).toMatchObject({ role: 'TERMINAL', credentialHolderId: input(first.body).patientId });
  });

  it('mixes a counter’s day: look-ups, quotes, settlements, a refund of the latest settlement, a 冲正', () => {
    const day = counterDayScenario(patients, callers);
    const lane: Record<string, unknown> = {};
    const sent: string[] = [];
    let settled = 0;
    for (let turn = 0; turn < 40; turn += 1) {
      const request = day.next(lane);
      sent.push(operation(request.body));
      if (operation(request.body) === 'Settle') {
        settled += 1;
        day.answered?.(lane, `{"data":{"settle":{"id":"430700-01JDQ3F6ZK8Y6W4V5T3S2R1S${String(settled).padStart(2, '0')}"}}}`);
      } else day.answered?.(lane, '{"data":{}}');
    }
    const count = (name: string) => sent.filter((sentName) => sentName === name).length;
    expect([count('PatientByCredential'), count('Quote'), count('Settle'), count('Refund'), count('Void')]).toEqual([12, 12, 12, 2, 2]);
    expect(day.checks).toBe(20);
  });

  it('refunds only a patient’s latest settlement, and voids an unused key when none is waiting', () => {
    const day = counterDayScenario(patients.slice(0, 1), callers);
    const lane: Record<string, unknown> = {};
    const bodies: string[] = [];
    for (let turn = 0; turn < 20; turn += 1) {
      const request = day.next(lane);
      bodies.push(request.body);
      if (operation(request.body) === 'Settle') day.answered?.(lane, `{"data":{"settle":{"id":"S${turn}"}}}`);
    }
    // One patient settled six times: only the last settlement (turn 17) may be refunded.
    const refund = JSON.parse(bodies[18]) as { variables: { id: string } };
    expect(refund.variables.id).toBe('S17');
    expect(operation(bodies[19])).toBe('Void');
    expect(operation(day.next(lane).body)).toBe('PatientByCredential');
  });
});
