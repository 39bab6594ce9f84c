import { checkVerdictCount, countVerdicts, MAX_VERDICTS } from '../../../src/cli/analyze-command';
import { CliError } from '../../../src/cli/errors';
import { collectExternal, collectPort, parseEndpoint, parsePort } from '../../../src/cli/options';

describe('option parsers', () => {
  test('parsePort accepts N and N/PROTO, protocol case-insensitive, TCP by default', () => {
    expect(parsePort('80')).toEqual({ port: 80, protocol: 'TCP' });
    expect(parsePort('53/udp')).toEqual({ port: 53, protocol: 'UDP' });
    expect(parsePort('65535/SCTP')).toEqual({ port: 65535, protocol: 'SCTP' });
    expect(parsePort('1')).toEqual({ port: 1, protocol: 'TCP' });
  });

  test('collectPort drops duplicates but keeps the first-given order', () => {
    const ports = ['443', '80', '80/TCP', '80/UDP'].reduce<ReturnType<typeof collectPort> | undefined>((acc, v) => collectPort(v, acc), undefined);
    expect(ports).toEqual([
      { port: 443, protocol: 'TCP' },
      { port: 80, protocol: 'TCP' },
      { port: 80, protocol: 'UDP' },
    ]);
  });

  test('collectExternal accepts IPv4 and IPv6 addresses', () => {
    expect(collectExternal('v6=2001:db8::1', collectExternal('dns=8.8.8.8', undefined))).toEqual({ dns: '8.8.8.8', v6: '2001:db8::1' });
  });

  test('parseEndpoint accepts namespace/name and external:NAME only', () => {
    expect(parseEndpoint('alpha-web/frontend')).toBe('alpha-web/frontend');
    expect(parseEndpoint('external:dns')).toBe('external:dns');
    for (const bad of ['frontend', 'a/b/c', 'external:', '/x', 'x/']) expect(() => parseEndpoint(bad)).toThrow(/expected namespace\/name/);
  });
});

describe('verdict limit', () => {
  test('exactly MAX_VERDICTS is printed; one more is refused with a hint to use --summary', () => {
    expect(MAX_VERDICTS).toBe(1_000_000);
    expect(() => checkVerdictCount(MAX_VERDICTS, 'json')).not.toThrow();
    let error: unknown;
    try {
      checkVerdictCount(MAX_VERDICTS + 1, 'json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain('1,000,001 connections');
    expect((error as CliError).message).toContain('--summary');
  });

  test('counts every ordered pair, self pairs included, times the ports probed on the destination', () => {
    const ports: Record<string, number> = { 'a/x': 2, 'a/y': 0, 'b/z': 1 };
    const count = countVerdicts({
      endpoints: Object.keys(ports),
      probedPorts: (to) => Array.from({ length: ports[to] }, (_, i) => ({ port: 80 + i, protocol: 'TCP' as const })),
    });
    expect(count).toBe(3 * (2 + 0 + 1));
  });
});
