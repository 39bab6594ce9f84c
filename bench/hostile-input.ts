/**
 * Peak memory and time of the analyzer's input side on hostile input, each case in a fresh process:
 *
 *   tsc -p bench --noEmit false --outDir build/bench && node --expose-gc build/bench/bench/hostile-input.js
 *
 * Every hostile case must be refused with one clear issue, quickly and in well under 300 MB; the
 * ordinary 10 MB inventory is the yardstick that still has to load.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatTable, measureInChild } from './measure';
import { loadManifestFiles } from '../src/analysis';
import { readBoundedSync } from '../src/analysis/input/read-bounded';

export interface HostileRun {
  readonly inputMb: number;
  readonly documents: number;
  readonly issues: number;
  readonly firstIssue: string;
}

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  return lines.join('\n') + '\n';
}

/** Pods and NetworkPolicies over 50 namespaces, about `bytes` long. */
function ordinaryInventory(bytes: number): string {
  const documents: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const namespace = `ns${i % 50}`;
    const document = i % 2 === 0
      ? `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: ${namespace}\n  labels:\n    app: app-${i % 100}\n` +
        'spec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      ports:\n        - containerPort: 8080\n'
      : `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${i}\n  namespace: ${namespace}\nspec:\n` +
        `  podSelector:\n    matchLabels:\n      app: app-${i % 100}\n  ingress:\n    - from:\n        - podSelector:\n` +
        `            matchLabels:\n              app: app-${(i + 1) % 100}\n      ports:\n        - port: 8080\n`;
    documents.push(document);
    size += document.length + 4;
  }
  return documents.join('---\n');
}

/** Writes the case's input to a file and loads it as `zt analyze FILE` would. */
export function runHostileCase(name: string): HostileRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-hostile-'));
  try {
    const file = path.join(dir, name.includes('json') ? 'input.json' : 'input.yaml');
    let stdin: (() => string) | undefined;
    switch (name) {
      case 'billion laughs':
        fs.writeFileSync(file, billionLaughs());
        break;
      case '100,000 nested lists (YAML)':
        fs.writeFileSync(file, '['.repeat(100_000) + ']'.repeat(100_000));
        break;
      case '10,000,000 nested lists (YAML)':
        fs.writeFileSync(file, '- '.repeat(10_000_000) + 'x');
        break;
      case '100,000 nested lists (json)':
        fs.writeFileSync(file, '['.repeat(100_000) + ']'.repeat(100_000));
        break;
      case '1 GiB file (sparse)':
        fs.writeFileSync(file, '');
        fs.truncateSync(file, 1024 ** 3);
        break;
      case 'endless stdin (/dev/zero)':
        stdin = () => {
          const fd = fs.openSync('/dev/zero', 'r');
          try {
            return readBoundedSync(fd, 64 * 1024 * 1024);
          } finally {
            fs.closeSync(fd);
          }
        };
        break;
      case '100,000 duplicate keys':
        fs.writeFileSync(file, 'a: 1\n'.repeat(100_000));
        break;
      case 'ordinary 10 MB inventory':
        fs.writeFileSync(file, ordinaryInventory(10 * 1024 * 1024));
        break;
      default:
        throw new Error(`unknown case ${name}`);
    }
    const inputMb = stdin ? 64 : fs.statSync(file).size / 1024 / 1024;
    const loaded = stdin ? loadManifestFiles(['-'], { readStdin: stdin }) : loadManifestFiles([file]);
    return {
      inputMb,
      documents: loaded.documents.length,
      issues: loaded.issues.length,
      firstIssue: loaded.issues[0]?.message.slice(0, 70) ?? '',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const CASES = [
  'billion laughs',
  '100,000 nested lists (YAML)',
  '10,000,000 nested lists (YAML)',
  '100,000 nested lists (json)',
  '1 GiB file (sparse)',
  'endless stdin (/dev/zero)',
  '100,000 duplicate keys',
  'ordinary 10 MB inventory',
];

async function main(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const name of CASES) {
    process.stderr.write(`  ${name}…\n`);
    const run = await measureInChild<HostileRun>(__filename.replace(/\.[jt]s$/, ''), 'runHostileCase', [name]);
    rows.push({
      'case': name,
      'input MB': run.result.inputMb.toFixed(1),
      'seconds': run.seconds.toFixed(2),
      'peak RSS MB': run.peakRssMb.toFixed(0),
      'documents': run.result.documents,
      'issues': run.result.issues,
      'first issue': run.result.firstIssue,
    });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
