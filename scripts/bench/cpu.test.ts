import { cpuMicrosPerRequest, rssOfStatus, ticksOfStat } from './cpu';

describe('process CPU from /proc', () => {
  it('reads utime + stime after the command name, whatever the name holds', () => {
    const fields = (name: string) => `4242 (${name}) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 11 0 100 1000 200`;
    expect(ticksOfStat(fields('node'))).toBe(1234 + 567);
    expect(ticksOfStat(fields('my (odd) name'))).toBe(1234 + 567);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => ticksOfStat('nonsense')).toThrow('not a /proc/<pid>/stat line');
  });

  it('turns a tick delta into µs per request', () => {
    // 150 ticks at 100 Hz = 1.5 s of CPU over 1000 requests = 1500 µs each.
    expect(cpuMicrosPerRequest(1000, 1150, 1000, 100)).toBe(1500);
    expect(cpuMicrosPerRequest(7, 7, 10, 100)).toBe(0);
    expect(cpuMicrosPerRequest(0, 10, 0, 100)).toBeNull();
  });

  it('reads VmRSS in bytes', () => {
    expect(rssOfStatus('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n')).toBe(123456 * 1024);
    expect(() => rssOfStatus('Name:\tnode\n')).toThrow('VmRSS');
  });
});
