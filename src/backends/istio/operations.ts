/**
 * Ports and HTTP rules as the `to` and `when` of AuthorizationPolicy rules. A sidecar intercepts TCP
 * only, so UDP and SCTP ports are the network backends' alone. Istio's `ports` are exact workload
 * port numbers: a range is listed port by port (up to a bound), a named port cannot be written.
 */
import { istioPath } from './paths';
import { IstioCondition, IstioOperation } from './types';
import { describeHttpRule, HttpRule } from '../../model/http';
import { describePort, PortSpec } from '../../model/port';

/** A range longer than this is refused rather than written as hundreds of port strings. */
export const MAX_RANGE_PORTS = 128;

/** What one planned rule's ports become: rules without HTTP fields, and one per HTTP rule. */
export interface OperationsResult {
  /** Ports of the connection-level rule: undefined for every TCP port, empty when none is left. */
  readonly tcpPorts: string[] | undefined;
  /** One `to` (and `when`) per HTTP rule, each on its own port. */
  readonly http: { readonly operation: IstioOperation; readonly when?: IstioCondition[] }[];
  /** Why a port cannot be written, for an issue at the rule's origin. */
  readonly problems: { readonly port: PortSpec; readonly message: string; readonly fix: string }[];
}

export function operationsOf(ports: readonly PortSpec[]): OperationsResult {
  const problems: OperationsResult['problems'] = [];
  const http: OperationsResult['http'] = [];
  let everyTcpPort = false;
  const numbers = new Set<number>();
  for (const port of ports) {
    if (port.kind === 'all' || (port.kind === 'protocol' && port.protocol === 'TCP')) {
      everyTcpPort = true;
      continue;
    }
    if (port.kind === 'protocol' || port.protocol !== 'TCP') continue;
    if (port.kind === 'named') {
      problems.push({
        port,
        message: `the named port ${describePort(port)}: AuthorizationPolicy ports are workload port numbers, and names are not looked up`,
        fix: 'give the port number the container listens on, e.g. Port.tcp(8080)',
      });
      continue;
    }
    if (port.kind === 'range') {
      const count = port.to - port.from + 1;
      if (count > MAX_RANGE_PORTS) {
        problems.push({
          port,
          message: `the range ${describePort(port)} holds ${count} ports, and AuthorizationPolicy lists ports one by one (at most ${MAX_RANGE_PORTS} here)`,
          fix: 'narrow the range to the ports the workload serves, or allow every TCP port with Port.allTcp()',
        });
        continue;
      }
      for (let p = port.from; p <= port.to; p++) numbers.add(p);
      continue;
    }
    if (port.http === undefined) {
      numbers.add(port.port);
      continue;
    }
    for (const rule of port.http) {
      const operation = httpOperation(port.port, rule);
      if (operation.ok) http.push(operation.value);
      else problems.push({ port, message: operation.message, fix: operation.fix });
    }
  }
  const tcpPorts = everyTcpPort ? undefined : [...numbers].sort((a, b) => a - b).map(String);
  // A port allowed whole makes its HTTP rules void; the model refuses that, so only every-port can.
  return { tcpPorts, http: everyTcpPort ? [] : http, problems };
}

type Translated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string; readonly fix: string };

/**
 * One HTTP rule: its port, methods, path and host ANDed in one operation, and each required header
 * as a presence condition (`values: ['*']`), since AuthorizationPolicy operations have no headers.
 */
function httpOperation(port: number, rule: HttpRule): Translated<{ operation: IstioOperation; when?: IstioCondition[] }> {
  let paths: string[] | undefined;
  if (rule.path !== undefined) {
    const translated = istioPath(rule.path);
    if (!translated.ok) {
      return {
        ok: false,
        message: `the HTTP path '${rule.path}' (${describeHttpRule(rule)} on ${port}/TCP) cannot be written as an Istio path: ${translated.why}`,
        fix: "write the path as a literal ('/api/v1/items'), a prefix ('/api/.*'), or segments ('/users/[^/]+/orders'), escaping dots ('\\\\.')",
      };
    }
    paths = [translated.path];
  }
  const operation: IstioOperation = {
    ports: [String(port)],
    ...(rule.methods?.length ? { methods: [...rule.methods] } : {}),
    ...(paths ? { paths } : {}),
    ...(rule.host !== undefined ? { hosts: [rule.host] } : {}),
  };
  const when = rule.headers?.map((name): IstioCondition => ({ key: `request.headers[${name}]`, values: ['*'] }));
  return { ok: true, value: { operation, ...(when?.length ? { when } : {}) } };
}
