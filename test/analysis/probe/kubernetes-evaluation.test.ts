import { denyAll, namespace, netpol, node, placedPod, pod } from './fixtures';
import { evaluateProbes, ProbeInput, ProbeResult, UnsupportedProbeError } from '../../../src/analysis';

function one(objects: unknown[], probe: ProbeInput): ProbeResult {
  return evaluateProbes(objects, [probe], { cni: 'kubernetes' }).probes[0];
}

const NODES = [node('node-1', '10.1.0.1'), node('node-2', '10.1.0.2')];
const kubeletEgress = (cidr?: string): unknown => netpol('app/kubelet-egress', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{ ...(cidr ? { to: [{ ipBlock: { cidr } }] } : {}), ports: [{ port: 10250 }] }],
});

describe('probe under Kubernetes NetworkPolicy: nodes', () => {
  test('pod -> node by ipBlock, placement unknown: implementation-defined, allow, and the expectation fails', () => {
    const result = one([namespace('app'), pod('app/web'), ...NODES, kubeletEgress('10.1.0.0/16')], {
      from: 'app/web', to: { node: 'node-1' }, port: 10250, expected: 'allow',
    });
    expect(result).toMatchObject({ to: 'node:node-1', verdict: 'allow', expected: 'allow', ok: false });
    expect(result.implementationDefined).toContain('ipBlock rules match node addresses (as Calico does)');
    expect(result.implementationDefined).toContain('ipBlock rules do not match node addresses (as Cilium does by default)');
    expect(result.implementationDefined).toContain('--cni cilium or --cni calico');
  });

  test('pod -> node on another node, with no rule for it: denied in every reading', () => {
    const result = one([namespace('app'), placedPod('app/web', {}, { nodeName: 'node-2' }), ...NODES, denyAll('app')], {
      from: 'app/web', to: { node: 'node-1' }, port: 10250, expected: 'deny',
    });
    expect(result).toMatchObject({ verdict: 'deny', ok: true });
    expect(result.implementationDefined).toBeUndefined();
  });

  test('a node reaches the pods that run on it, whatever their policies say (own node, defined)', () => {
    const result = one([namespace('app'), placedPod('app/web', {}, { nodeName: 'node-1' }), ...NODES, denyAll('app')], {
      from: { node: 'node-1' }, to: 'app/web', port: 80, expected: 'allow',
    });
    expect(result).toMatchObject({ from: 'node:node-1', verdict: 'allow', ok: true });
    expect(result.reasons.find((reason) => reason.direction === 'ingress')).toMatchObject({
      layer: 'cni', effect: 'allow', detail: expect.stringContaining('traffic between a pod and its own node is always allowed'),
    });
    expect(result.reasons.find((reason) => reason.direction === 'egress')).toMatchObject({ effect: 'default', detail: expect.stringContaining('node:node-1') });
  });

  test('a pod whose node is unknown may run on the probing node: implementation-defined, with the fix', () => {
    const result = one([namespace('app'), pod('app/web'), ...NODES, denyAll('app')], { from: { node: 'node-1' }, to: 'app/web', port: 80, expected: 'deny' });
    expect(result).toMatchObject({ verdict: 'allow', ok: false });
    expect(result.implementationDefined).toBe(
      'allowed if app/web runs on node:node-1; denied if app/web runs on another node than node:node-1. ' +
        'the input does not say where the pod runs: give its spec.nodeName.',
    );
  });

  test('a rule for any peer admits nodes in every reading', () => {
    const result = one([namespace('app'), pod('app/web'), ...NODES, kubeletEgress()], { from: 'app/web', to: { node: 'node-1' }, port: 10250, expected: 'allow' });
    expect(result).toMatchObject({ verdict: 'allow', ok: true });
    expect(result.implementationDefined).toBeUndefined();
  });

  test('{ip} of a node is that node', () => {
    const result = one([namespace('app'), placedPod('app/web', {}, { nodeName: 'node-1' }), ...NODES], { from: 'app/web', to: { ip: '10.1.0.2' }, port: 22 });
    expect(result).toMatchObject({ to: '10.1.0.2', verdict: 'allow' });
    expect(result.reasons.map((reason) => reason.detail)).toContainEqual(expect.stringContaining('node:node-2'));
  });
});

describe('probe under Kubernetes NetworkPolicy: hostNetwork pods', () => {
  const dbIngressFromAgent = netpol('data/db-ingress', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } }] }] });
  const agent = (options: { nodeName?: string } = {}): unknown => placedPod('ops/agent', { app: 'agent' }, { hostNetwork: true, ip: '10.1.0.1', ...options });

  test('selected by a podSelector as a pod, not as its node: implementation-defined', () => {
    const result = one([namespace('ops'), namespace('data'), ...NODES, agent({ nodeName: 'node-1' }), placedPod('data/db', {}, { nodeName: 'node-2' }), dbIngressFromAgent], {
      from: 'ops/agent', to: 'data/db', port: 80, expected: 'allow',
    });
    expect(result).toMatchObject({ verdict: 'allow', ok: false });
    expect(result.implementationDefined).toBe(
      'allowed if the plugin polices hostNetwork pods as pods; denied if the plugin treats hostNetwork pods as their node\'s host traffic. ' +
        'Kubernetes NetworkPolicy leaves this to the network plugin: evaluate with its dialect (--cni cilium or --cni calico).',
    );
  });

  test('a hostNetwork pod without nodeName stands for an unknown node', () => {
    const result = one([namespace('ops'), namespace('data'), agent(), placedPod('data/db', {}, { nodeName: 'node-2' }), dbIngressFromAgent], {
      from: 'ops/agent', to: 'data/db', port: 80,
    });
    expect(result.verdict).toBe('allow');
    expect(result.implementationDefined).toContain('hostNetwork pods');
  });

  test('a hostNetwork pod whose Node is not in the input stands for that node, with its own address', () => {
    const ipBlockFromNode = netpol('data/db-ingress', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.1/32' } }] }] });
    const result = one([namespace('ops'), namespace('data'), agent({ nodeName: 'node-9' }), placedPod('data/db', {}, { nodeName: 'node-2' }), ipBlockFromNode], {
      from: 'ops/agent', to: 'data/db', port: 80, expected: 'allow',
    });
    // As a pod or as node-9's traffic, its address 10.1.0.1 matches; only the reading where ipBlock ignores node addresses denies.
    expect(result.verdict).toBe('allow');
    expect(result.implementationDefined).toContain('ipBlock rules do not match node addresses');
  });

  test('denied in every reading: a defined deny', () => {
    const result = one([namespace('ops'), namespace('data'), ...NODES, agent({ nodeName: 'node-1' }), placedPod('data/db', {}, { nodeName: 'node-2' }), denyAll('data')], {
      from: 'ops/agent', to: 'data/db', port: 80, expected: 'deny',
    });
    expect(result).toMatchObject({ verdict: 'deny', ok: true });
  });

  test('as a destination: a pod\'s egress to it by podSelector is implementation-defined too', () => {
    const egressToAgent = netpol('data/db-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } }] }] });
    const result = one([namespace('ops'), namespace('data'), ...NODES, agent({ nodeName: 'node-1' }), placedPod('data/db', {}, { nodeName: 'node-2' }), egressToAgent], {
      from: 'data/db', to: 'ops/agent', port: 80,
    });
    expect(result.verdict).toBe('allow');
    expect(result.implementationDefined).toContain('polices hostNetwork pods as pods');
  });
});

describe('probe under Kubernetes NetworkPolicy: what NetworkPolicy does not define', () => {
  test('ICMP is refused with the probes that ask for it', () => {
    const run = (): unknown => evaluateProbes([namespace('app'), pod('app/web'), ...NODES], [
      { id: 'web', from: 'app/web', to: 'app/web', port: 80 },
      { id: 'ping', from: 'app/web', to: { node: 'node-1' }, protocol: 'ICMP', icmp: { type: 8 } },
    ], { cni: 'kubernetes' });
    expect(run).toThrow(UnsupportedProbeError);
    expect(run).toThrow(/^<probes>:ping: protocol: ICMP has no verdict under --cni kubernetes: NetworkPolicy defines only TCP, UDP and SCTP/);
  });

  test('tls, http and dns fields do not change a verdict (NetworkPolicy is L3/L4)', () => {
    const objects = [namespace('app'), pod('app/web'), pod('app/api', {}, [{ port: 443 }]), netpol('app/api', { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] })];
    const plain = one(objects, { from: 'app/web', to: 'app/api', port: 443 });
    const l7 = one(objects, { from: 'app/web', to: 'app/api', port: 443, tls: { sni: 'api.example.com' }, http: { method: 'POST', path: '/admin', headers: { 'x-user': 'eve' } } });
    expect(l7).toEqual(plain);
    const dns = one(objects, { from: 'app/web', to: 'app/api', port: 443, protocol: 'UDP', dns: { query: 'example.com' } });
    expect(dns.verdict).toBe('deny');
  });
});
