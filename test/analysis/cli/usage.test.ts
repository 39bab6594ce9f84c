import * as fs from 'fs';
import * as path from 'path';
import { fixture, zt } from './run-cli';

const BASIC = fixture('basic');

describe('zt usage', () => {
  test('--help lists the commands and exits 0', async () => {
    const { code, stdout, stderr } = await zt(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: zt \[options\] \[command\]/);
    expect(stdout).toMatch(/^ {2}analyze \[options\] <paths\.\.\.>/m);
    expect(stdout).toMatch(/^ {2}explain \[options\] <paths\.\.\.>/m);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('--debug');
    expect(stdout).toContain('zt: <file>:<document>: <field>: <problem>');
  });

  test.each([
    ['analyze', ['--format <format>', '--port <port>', '--external <name=ip>', '--summary', '--max-input-size <size>', '--exclude <glob>', 'Examples:', 'Exit codes:', '70 internal error']],
    ['explain', ['--from <endpoint>', '--to <endpoint>', '--port <port>', '--max-input-size <size>', '--exclude <glob>', 'may each be given once', 'Examples:', 'Exit codes:', '3 the verdict is not the one --expect gives', '70 internal error']],
  ])('%s --help describes its options with examples', async (command, expected) => {
    const { code, stdout } = await zt([command, '--help']);
    expect(code).toBe(0);
    for (const text of expected) expect(stdout).toContain(text);
  });

  test('--version prints the version from package.json', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await zt(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  test.each([
    ['no command', [], /Usage: zt/],
    ['unknown command', ['analyse', BASIC], /unknown command 'analyse'/],
    ['unknown option', ['analyze', BASIC, '--colour'], /unknown option '--colour'/],
    ['missing path', ['analyze'], /missing required argument 'paths'/],
    ['bad format', ['analyze', BASIC, '--format', 'yaml'], /argument 'yaml' is invalid\. Allowed choices are table, json, markdown, dot/],
    ['explain without --to', ['explain', BASIC, '--from', 'a/b', '--port', '80'], /required option '--to <endpoint>' not specified/],
    ['explain with a malformed endpoint', ['explain', BASIC, '--from', 'frontend', '--to', 'a/b', '--port', '80'], /expected namespace\/name of a pod or external:NAME, got "frontend"/],
    ['stdin twice', ['analyze', '-', '-'], /"-" \(standard input\) can be given only once/],
  ])('%s is a usage error: exit 2 with a message on stderr', async (_name, args, message) => {
    const { code, stdout, stderr } = await zt(args, { stdin: '' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test.each([
    ['0', /port must be between 1 and 65535, got 0/],
    ['65536', /port must be between 1 and 65535, got 65536/],
    ['80/ICMP', /protocol must be TCP, UDP or SCTP, got "ICMP"/],
    ['http', /expected N or N\/PROTO, e\.g\. 8080 or 53\/UDP, got "http"/],
    ['80/', /expected N or N\/PROTO/],
    ['-1', /expected N or N\/PROTO/],
    ['8.5', /expected N or N\/PROTO/],
  ])('--port %s is rejected with exit 2', async (port, message) => {
    const { code, stderr } = await zt(['analyze', BASIC, `--port=${port}`]);
    expect(code).toBe(2);
    expect(stderr).toContain(`option '-p, --port <port>' argument '${port}' is invalid`);
    expect(stderr).toMatch(message);
  });

  test.each([
    ['dns', /expected NAME=IP, e\.g\. dns=8\.8\.8\.8, got "dns"/],
    ['dns=8.8.8.0/24', /"8\.8\.8\.0\/24" is not an IPv4 or IPv6 address/],
    ['a/b=1.2.3.4', /name "a\/b" must be letters, digits/],
  ])('--external %s is rejected with exit 2', async (external, message) => {
    const { code, stderr } = await zt(['analyze', BASIC, '--external', external]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('the same external name with two addresses is rejected', async () => {
    const { code, stderr } = await zt(['analyze', BASIC, '--external', 'dns=1.1.1.1', '--external', 'dns=8.8.8.8']);
    expect(code).toBe(2);
    expect(stderr).toContain('external "dns" is given twice (1.1.1.1 and 8.8.8.8)');
  });
});
