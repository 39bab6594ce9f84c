import { goFloat32KeyText, resolvePlainScalar } from '../../../src/analysis/input/go-yaml-scalars';

describe('resolvePlainScalar (go-yaml v2, as the API server reads YAML)', () => {
  test.each<[string, unknown]>([
    // Integers through strconv.ParseInt(text without "_", 0, 64).
    ['0', 0], ['-0', 0], ['+7', 7], ['010', 8], ['-010', -8], ['0x1F', 31], ['0X1f', 31], ['-0x1F', -31], ['+0x1F', 31],
    ['0o17', 15], ['0O17', 15], ['-0o17', -15], ['0b101', 5], ['0B101', 5], ['-0b101', -5],
    ['1_000', 1000], ['1__000', 1000], ['1000_', 1000], ['0_x1F', 31], ['9223372036854775807', 9223372036854775807],
    // Past int64: ParseUint for unsigned text, then the float pattern.
    ['18446744073709551615', 18446744073709551615], ['-9223372036854775809', -9223372036854775809],
    // Floats: go-yaml's yamlStyleFloat, then ParseFloat.
    ['08', 8], ['09.5', 9.5], ['1.5', 1.5], ['1.', 1], ['1e3', 1000], ['1E+3', 1000], ['-1.5e-3', -0.0015], ['+.5', 0.5], ['1_0.5', 10.5],
    ['.5', 0.5], ['.5e1', 5], ['.5_0', 0.5], ['.inf', Infinity], ['-.Inf', -Infinity], ['+.INF', Infinity],
    // YAML 1.1 booleans and nulls, exactly these spellings.
    ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['On', true], ['ON', true], ['true', true], ['True', true],
    ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false], ['off', false], ['Off', false], ['OFF', false], ['false', false],
    ['~', null], ['null', null], ['Null', null], ['NULL', null], ['', null],
  ])('%j is %p', (text, value) => {
    expect(resolvePlainScalar(text).value).toEqual(value);
  });

  test('.nan is NaN', () => {
    expect(resolvePlainScalar('.NaN')).toEqual({ type: 'float', value: NaN });
  });

  test.each([
    'yEs', 'oN', 'tRUE', 'nULL', '0x', '0b', '0o', '0b2', '0o8', '0xG', '_1', '1:20', '190:20:30', '2001-12-14', '2001-12-14T21:59:43Z', '1e400',
    '0x10000000000000000', '.', '._5', '.5__', '1e', 'e3', '+', '-', 'inf', 'NaN', '.iNf', '<<', '=', '1.2.3', '0x1F.5', '١٢', 'yes please',
  ])('%j stays a string', (text) => {
    expect(resolvePlainScalar(text)).toEqual({ type: 'str', value: text });
  });

  test('the type tells ints from floats', () => {
    expect(resolvePlainScalar('10').type).toBe('int');
    expect(resolvePlainScalar('10.0').type).toBe('float');
    expect(resolvePlainScalar('08').type).toBe('float');
  });
});

describe('goFloat32KeyText (float map keys, as sigs.k8s.io/yaml writes them)', () => {
  test.each<[number, string]>([
    [1.5, '1.5'], [0.1, '0.1'], [100000, '100000'], [1e6, '1e+06'], [1234567, '1.234567e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'],
    [3.141592653589793, '3.1415927'], [-2.5, '-2.5'], [0, '0'], [1e21, '1e+21'], [Infinity, '.inf'], [-Infinity, '-.inf'], [NaN, '.nan'],
  ])('%p is %j', (value, text) => {
    expect(goFloat32KeyText(value)).toBe(text);
  });
});
