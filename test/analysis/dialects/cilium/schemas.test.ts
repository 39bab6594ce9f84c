/**
 * The Cilium test inputs checked against the upstream CRD schemas (`<schemas>/cilium.io/*_v2.json`, Cilium
 * 1.18.2, and their strict `datreeio/` variants that reject unknown fields), so that the tables exercise
 * manifests the API server would accept. Without the schema directory the check says so and skips.
 * There is no CiliumCIDRGroup schema in the directory: CiliumCIDRGroup inputs are not schema-checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CASES } from './cases';
import { INVALID_CASES } from './invalid-cases';
import { Manifest } from './support';
import { schemasDir, schemaValidator, validateAgainstFile } from '../../../support/schemas';

const CILIUM_DIR = path.join(schemasDir(), 'cilium.io');
const SCHEMA_FILES: Readonly<Record<string, string>> = {
  CiliumNetworkPolicy: 'ciliumnetworkpolicy_v2.json',
  CiliumClusterwideNetworkPolicy: 'ciliumclusterwidenetworkpolicy_v2.json',
};

function ciliumPolicies(objects: readonly Manifest[]): Manifest[] {
  return objects.filter((object) => typeof object.kind === 'string' && Object.hasOwn(SCHEMA_FILES, object.kind));
}

function problems(object: Manifest): string[] {
  return validateAgainstFile(path.join(CILIUM_DIR, SCHEMA_FILES[object.kind as string]), object);
}

if (!fs.existsSync(CILIUM_DIR)) {
  describe('Cilium test inputs against the CRD schemas', () => {
    test(`${CILIUM_DIR} not found: schema checks of Cilium test inputs skipped`, () => {
      console.warn(`${CILIUM_DIR} not found: schema checks of Cilium test inputs skipped`);
    });
  });
} else {
  describe('Cilium test inputs against the CRD schemas', () => {
    const valid = CASES.flatMap((c) => ciliumPolicies(c.objects).map((object) => [`${c.rule} ${c.name}`, object] as const));

    test('the semantics table holds Cilium policies to check', () => {
      expect(valid.length).toBeGreaterThan(100);
    });

    test.each(valid)('accepted by the upstream schema: %s', (_, object) => {
      expect(problems(object)).toEqual([]);
    });

    test.each(valid)('accepted by the strict schema (no unknown field): %s', (_, object) => {
      const strict = schemaValidator();
      expect(strict).toBeDefined();
      expect(strict!.validate(object)).toEqual([]);
    });

    test.each(INVALID_CASES.filter((c) => c.by === 'schema').map((c) => [c.name, c] as const))('rejected by the schema as well as the analyzer: %s', (_, c) => {
      expect(problems(c.object)).not.toEqual([]);
    });

    test.each(INVALID_CASES.filter((c) => c.by === 'agent').map((c) => [c.name, c] as const))('accepted by the upstream schema, rejected by the agent (or strict field validation): %s', (_, c) => {
      expect(problems(c.object)).toEqual([]);
    });
  });
}
