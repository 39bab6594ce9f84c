import { labelMapProblem, selectorShapeProblem } from '../../src/model/selector-shape';

describe('labelMapProblem', () => {
  test.each([{}, { app: 'web' }, JSON.parse('{ "constructor": "x" }') as object])('accepts the map %p (values are checked by the syntax rules)', (labels) => {
    expect(labelMapProblem(labels)).toBeUndefined();
  });

  test.each([
    ['app=web', "'app=web' is not a map of labels (got string)"],
    [['app'], '["app"] is not a map of labels (got an array)'],
    [null, 'null is not a map of labels (got null)'],
    [7, '7 is not a map of labels (got number)'],
  ])('rejects %p', (labels, message) => {
    expect(labelMapProblem(labels)).toEqual({ at: '', message, fix: "give the labels as a map of strings, e.g. { app: 'web' }" });
  });
});

describe('selectorShapeProblem', () => {
  test.each([{}, { matchLabels: { app: 'web' } }, { matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'In', values: ['x'] }] }])(
    'accepts %p',
    (selector) => {
      expect(selectorShapeProblem(selector)).toBeUndefined();
    },
  );

  test.each([
    ['a string', 'app=web', '', "'app=web' is not a label selector (got string)"],
    ['matchLabels as a list', { matchLabels: ['app'] }, '.matchLabels', '["app"] is not a map of labels (got an array)'],
    ['matchExpressions as a map', { matchExpressions: { key: 'a' } }, '.matchExpressions', '{"key":"a"} is not a list of requirements'],
    ['a null requirement', { matchExpressions: [null] }, '.matchExpressions[0]', 'null is not a requirement { key, operator, values? }'],
    ['a key that is no string', { matchExpressions: [{ key: 1, operator: 'Exists' }] }, '.matchExpressions[0].key', 'the key must be a string, got number'],
    ['values as a string', { matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] }, '.matchExpressions[0].values', "'x' is not a list of values"],
    ['a value that is no string', { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 2] }] }, '.matchExpressions[0].values[1]', 'label value must be a string, got number'],
  ])('rejects %s, naming where', (_, selector, at, message) => {
    expect(selectorShapeProblem(selector)).toMatchObject({ at, message });
  });
});
