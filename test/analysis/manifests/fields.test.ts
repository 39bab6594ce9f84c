import { ManifestIssue } from '../../../src/analysis';
import { describeValue, isAbsent, isRecord, reportUnknownFields } from '../../../src/analysis/manifests/fields';
import { DocumentIssues } from '../../../src/analysis/manifests/issues';

describe('manifest fields', () => {
  test('type guards', () => {
    expect([{}, [], null, 'x'].map(isRecord)).toEqual([true, false, false, false]);
    expect([undefined, null, 0, ''].map(isAbsent)).toEqual([true, true, false, false]);
    expect([null, [1], {}, 'x', 2].map(describeValue)).toEqual(['null', 'a list', 'an object', 'a string ("x")', 'a number (2)']);
  });

  test('unknown fields are issues that list the known ones', () => {
    const issues: ManifestIssue[] = [];
    reportUnknownFields({ port: 1, prot: 'TCP' }, new Set(['protocol', 'port']), 'spec.ports[0]', new DocumentIssues(issues, { file: 'f', documentIndex: 2 }, undefined));
    expect(issues).toEqual([{ file: 'f', documentIndex: 2, field: 'spec.ports[0].prot', message: 'unknown field (expected one of protocol, port)' }]);
  });
});
