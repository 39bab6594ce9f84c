import { FlowRecordError, parseFlowLine } from '../../src/observe/hubble-flow';

const pod = (namespace: string, name: string, labels: string[], extra: Record<string, unknown> = {}) =>
  ({ namespace, pod_name: name, labels, ...extra });

function flowLine(flow: Record<string, unknown>): string {
  return JSON.stringify({ flow, node_name: 'n1', time: '2024-05-01T10:00:00Z' });
}

const base = {
  verdict: 'FORWARDED',
  IP: { source: '10.0.0.1', destination: '10.0.0.2', ipVersion: 'IPv4' },
  l4: { TCP: { source_port: 40000, destination_port: 8080, flags: { SYN: true } } },
  source: pod('web', 'frontend-7d9c5b6f4-x2x9z', ['k8s:app=frontend', 'k8s:pod-template-hash=7d9c5b6f4', 'k8s:io.kubernetes.pod.namespace=web', 'k8s:io.cilium.k8s.policy.serviceaccount=fe', 'k8s:io.cilium.k8s.policy.cluster=default', 'k8s:io.cilium.k8s.namespace.labels.tenant=shop'],
    { workloads: [{ name: 'frontend', kind: 'Deployment' }] }),
  destination: pod('web', 'backend-0', ['k8s:app=backend']),
  is_reply: false,
};

function parse(flow: Record<string, unknown>) {
  const parsed = parseFlowLine(flowLine(flow));
  if (parsed?.kind !== 'flow') throw new Error(`not a flow: ${JSON.stringify(parsed)}`);
  return parsed.flow;
}

function problemOf(text: string): FlowRecordError {
  try {
    parseFlowLine(text);
  } catch (error) {
    if (error instanceof FlowRecordError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('Hubble flow records (hubble observe -o jsonpb)', () => {
  test('reads the envelope: endpoints, labels split from Cilium\'s own, port, verdict', () => {
    const flow = parse(base);
    expect(flow.verdict).toBe('forwarded');
    expect(flow.reply).toBe(false);
    expect(flow.protocol).toBe('TCP');
    expect(flow.port).toBe(8080);
    expect(flow.source).toEqual({
      kind: 'pod',
      namespace: 'web',
      podName: 'frontend-7d9c5b6f4-x2x9z',
      labels: { 'app': 'frontend', 'pod-template-hash': '7d9c5b6f4' },
      namespaceLabels: { tenant: 'shop' },
      serviceAccount: 'fe',
      workload: { name: 'frontend', kind: 'Deployment' },
    });
  });

  test('a bare Flow (-o json) and protojson\'s camelCase names read the same', () => {
    const camel = {
      ...base,
      is_reply: undefined,
      isReply: false,
      l4: { TCP: { sourcePort: 1, destinationPort: 8080 } },
      source: { namespace: 'web', podName: 'frontend-1', labels: ['k8s:app=frontend'] },
    };
    const flow = parseFlowLine(JSON.stringify(camel));
    expect(flow?.kind).toBe('flow');
    if (flow?.kind !== 'flow') return;
    expect(flow.flow.port).toBe(8080);
    expect(flow.flow.reply).toBe(false);
    expect(flow.flow.source).toMatchObject({ kind: 'pod', podName: 'frontend-1', labels: { app: 'frontend' } });
  });

  test('direction: is_reply, else the deprecated reply, else an L7 type, else a TCP SYN without ACK; otherwise unknown', () => {
    expect(parse({ ...base, is_reply: true }).reply).toBe(true);
    expect(parse({ ...base, is_reply: undefined, reply: true }).reply).toBe(true);
    expect(parse({ ...base, is_reply: undefined }).reply).toBe(false);
    expect(parse({ ...base, is_reply: undefined, l4: { TCP: { destination_port: 8080, flags: { SYN: true, ACK: true } } } }).reply).toBeUndefined();
    expect(parse({ ...base, is_reply: undefined, l4: { UDP: { destination_port: 53 } } }).reply).toBeUndefined();
    expect(parse({ ...base, is_reply: undefined, l7: { type: 'RESPONSE', http: { code: 200, method: 'GET', url: '/' } } }).reply).toBe(true);
  });

  test('reserved identities by label or number; the world needs its address', () => {
    expect(parse({ ...base, destination: { identity: 2, labels: ['reserved:world'] } }).destination).toEqual({ kind: 'world', ip: '10.0.0.2' });
    expect(parse({ ...base, destination: { identity: 16777217, labels: ['cidr:10.0.0.2/32', 'reserved:world'] } }).destination).toEqual({ kind: 'world', ip: '10.0.0.2' });
    expect(parse({ ...base, destination: { identity: 7 } }).destination).toEqual({ kind: 'reserved', entity: 'kube-apiserver', ip: '10.0.0.2' });
    expect(parse({ ...base, destination: { labels: ['reserved:host', 'reserved:kube-apiserver'] } }).destination).toMatchObject({ entity: 'kube-apiserver' });
    expect(parse({ ...base, source: { identity: 1, labels: ['reserved:host'] } }).source).toEqual({ kind: 'reserved', entity: 'host', ip: '10.0.0.1' });
    expect(problemOf(flowLine({ ...base, IP: { source: '10.0.0.1' }, destination: { identity: 2, labels: ['reserved:world'] } })).field).toBe('flow.IP.destination');
  });

  test('verdicts: AUDIT and REDIRECTED happened, ERROR is dropped, TRACED is neither', () => {
    expect(parse({ ...base, verdict: 'AUDIT' }).verdict).toBe('forwarded');
    expect(parse({ ...base, verdict: 'REDIRECTED' }).verdict).toBe('forwarded');
    expect(parse({ ...base, verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED' })).toMatchObject({ verdict: 'dropped', dropReason: 'POLICY_DENIED' });
    expect(parse({ ...base, verdict: 'ERROR' }).verdict).toBe('dropped');
    expect(parse({ ...base, verdict: 'TRACED' }).verdict).toBe('other');
    expect(parse({ ...base, verdict: undefined }).verdict).toBe('other');
  });

  test('L7: HTTP requests and DNS lookups', () => {
    expect(parse({ ...base, l7: { type: 'REQUEST', http: { method: 'GET', url: 'http://b/api?x=1' } } }).http).toEqual({ method: 'GET', url: 'http://b/api?x=1' });
    const dns = parse({ ...base, is_reply: true, l4: { UDP: { destination_port: 41000 } }, l7: { type: 'RESPONSE', dns: { query: 'api.example.com.', ips: ['203.0.113.1'] } } });
    expect(dns.dns).toEqual({ query: 'api.example.com.', ips: ['203.0.113.1'], response: true });
  });

  test('records that are not flows are told apart, blank lines skipped', () => {
    expect(parseFlowLine('{"node_status":{"state_change":"NODE_CONNECTED"}}')).toEqual({ kind: 'other', what: 'node_status' });
    expect(parseFlowLine('{"lost_events":{"num_events_lost":"3"}}')).toEqual({ kind: 'other', what: 'lost_events' });
    expect(parseFlowLine(flowLine({ verdict: 'FORWARDED', ethernet: { source: 'a', destination: 'b' } }))).toEqual({ kind: 'other', what: 'no IP layer' });
    expect(parseFlowLine('   ')).toBeUndefined();
  });

  test.each([
    ['not JSON', '{"flow": {', '(line)', /not JSON/],
    ['an array', '[1]', '(line)', /not a JSON object/],
    ['another object', '{"hello": 1}', 'flow', /none of the fields of a Hubble flow/],
    ['no l4', flowLine({ ...base, l4: undefined }), 'flow.l4', /missing/],
    ['port 0', flowLine({ ...base, l4: { TCP: { destination_port: 0 } } }), 'flow.l4.TCP.destination_port', /not a port/],
    ['a pod without labels', flowLine({ ...base, source: { namespace: 'web', pod_name: 'x' } }), 'flow.source.labels', /missing for the pod web\/x/],
    ['half a pod', flowLine({ ...base, destination: { namespace: 'web', labels: ['k8s:app=x'] } }), 'flow.destination', /half a pod/],
    ['a label without source', flowLine({ ...base, destination: pod('web', 'b', ['app=x']) }), 'flow.destination.labels[0]', /not a Cilium label/],
    ['a string port', flowLine({ ...base, l4: { TCP: { destination_port: 'http' } } }), 'flow.l4.TCP.destination_port', /not an unsigned integer/],
  ])('%s is an error naming the field', (_name, text, field, problem) => {
    const error = problemOf(text);
    expect(error.field).toBe(field);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(/hubble observe -o jsonpb|JSON lines/);
  });
});
