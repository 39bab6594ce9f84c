/**
 * CiliumCIDRGroup (https://docs.cilium.io/en/stable/network/kubernetes/ciliumcidrgroup/): a cluster-scoped list
 * of external CIDRs (`spec.externalCIDRs`) that CIDR rules reference by name (`cidrGroupRef`) or by label
 * (`cidrGroupSelector`).
 */
import { CidrGroup } from './model';
import { Cidr, parseCidr } from '../../core/ip-address';
import { describeValue, isAbsent, isRecord, JsonObject, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { ObjectIdentity } from '../../manifests/object-kinds';
import { readLabels } from '../../manifests/pod-spec';

export function parseCidrGroup(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): CidrGroup | undefined {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const labels = readLabels(metadata.labels, 'metadata.labels', issues);
  const spec = object.spec;
  if (!isRecord(spec)) {
    issues.add('spec', isAbsent(spec) ? 'is required' : `must be an object, got ${describeValue(spec)}`);
    return undefined;
  }
  reportUnknownFields(spec, new Set(['externalCIDRs']), 'spec', issues);
  const raw = isAbsent(spec.externalCIDRs) ? [] : spec.externalCIDRs;
  if (!Array.isArray(raw)) {
    issues.add('spec.externalCIDRs', `must be a list of CIDRs, got ${describeValue(raw)}`);
    return undefined;
  }
  const cidrs: Cidr[] = [];
  let valid = true;
  raw.forEach((text, index) => {
    const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
    if (!cidr) {
      issues.add(`spec.externalCIDRs[${index}]`, `must be a CIDR, got ${describeValue(text)}`);
      valid = false;
    } else {
      cidrs.push(cidr);
    }
  });
  return valid ? { name: identity.name, labels, cidrs } : undefined;
}
