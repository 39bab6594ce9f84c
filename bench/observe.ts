/**
 * `zt observe import` throughput: a synthetic Hubble export (JSON lines as `hubble observe -o jsonpb`
 * writes them) of a given size is written to a temporary file, then read and aggregated, timed, in a
 * child process of its own. The peak memory of a 1 GiB export against a small one shows the reading
 * is streamed. Nothing is committed: the export is generated here and deleted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildMeasurement, formatTable, measureInChild } from './measure';
import { importFlows } from '../src/observe/import-flows';

export interface ObserveRun {
  readonly bytes: number;
  readonly lines: number;
  readonly workloads: number;
  readonly flows: number;
  /** Seconds to read and aggregate the export (its writing excluded). */
  readonly seconds: number;
}

const NAMESPACES = 50;
const WORKLOADS = 10;

function endpoint(ns: number, w: number, replica: number): string {
  const namespace = `team-${ns}`;
  const labels = [
    `k8s:app=svc-${w}`, `k8s:pod-template-hash=h${replica}x${w}`, `k8s:io.kubernetes.pod.namespace=${namespace}`,
    `k8s:io.cilium.k8s.policy.serviceaccount=svc-${w}`, 'k8s:io.cilium.k8s.policy.cluster=default',
    `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${namespace}`,
  ];
  return `{"ID":${ns * 100 + w},"identity":${20000 + ns * 100 + w},"namespace":"${namespace}","labels":${JSON.stringify(labels)},` +
    `"pod_name":"svc-${w}-h${replica}x${w}-abcde","workloads":[{"name":"svc-${w}","kind":"Deployment"}]}`;
}

/** One record: a connection between two workloads, or its reply, as Hubble writes them. */
function record(i: number): string {
  const ns = i % NAMESPACES;
  const from = Math.floor(i / 8) % WORKLOADS;
  const to = (from + 1 + (i % 3)) % WORKLOADS;
  const reply = i % 2 === 1;
  const port = 8000 + to;
  const [src, dst] = reply ? [endpoint(ns, to, i % 4), endpoint(ns, from, i % 2)] : [endpoint(ns, from, i % 2), endpoint(ns, to, i % 4)];
  const l4 = reply ? `{"TCP":{"source_port":${port},"destination_port":${40000 + (i % 20000)},"flags":{"ACK":true}}}` : `{"TCP":{"source_port":${40000 + (i % 20000)},"destination_port":${port},"flags":{"SYN":true}}}`;
  return `{"flow":{"time":"2024-05-01T10:00:00.${String(i % 1e9).padStart(9, '0')}Z","verdict":"FORWARDED","ethernet":{"source":"0a:58:0a:f4:01:0a","destination":"0a:58:0a:f4:01:01"},` +
    `"IP":{"source":"10.244.${ns}.${from + 10}","destination":"10.244.${ns}.${to + 10}","ipVersion":"IPv4"},"l4":${l4},"source":${src},"destination":${dst},` +
    `"Type":"L3_L4","node_name":"node-${ns % 7}","event_type":{"type":4},"traffic_direction":"${reply ? 'INGRESS' : 'EGRESS'}","trace_observation_point":"TO_ENDPOINT",` +
    `"is_reply":${reply},"Summary":"TCP Flags: ${reply ? 'ACK' : 'SYN'}"},"node_name":"node-${ns % 7}","time":"2024-05-01T10:00:00Z"}\n`;
}

/** Writes about `bytes` of records to `file`, in 8 MiB batches; returns the number of lines. */
export function writeSyntheticExport(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let lines = 0;
  try {
    while (written < bytes) {
      const batch: string[] = [];
      let size = 0;
      while (size < 8 * 1024 * 1024 && written + size < bytes) {
        const line = record(lines++);
        batch.push(line);
        size += line.length;
      }
      fs.writeSync(fd, batch.join(''));
      written += size;
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}

export async function runObserveImport(bytes: number): Promise<ObserveRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-bench-observe-'));
  const file = path.join(dir, 'flows.jsonl');
  try {
    writeSyntheticExport(file, bytes);
    const size = fs.statSync(file).size;
    global.gc?.();
    const start = process.hrtime.bigint();
    const aggregate = importFlows([file]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { bytes: size, lines: aggregate.counts.lines, workloads: aggregate.workloads.length, flows: aggregate.flows.length, seconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The table of `npm run bench`: a small export and a 1 GiB one. */
export async function benchObserve(sizes: readonly number[] = [64 * 1024 * 1024, 1024 * 1024 * 1024]): Promise<void> {
  process.stdout.write('\n## zt observe import (a synthetic Hubble export, read line by line)\n\n');
  const rows: Record<string, string | number>[] = [];
  for (const bytes of sizes) {
    process.stderr.write(`  zt observe import of a ${Math.round(bytes / 1024 / 1024)} MiB export…\n`);
    const run: ChildMeasurement<ObserveRun> = await measureInChild<ObserveRun>(path.join(__dirname, 'observe'), 'runObserveImport', [bytes]);
    rows.push({
      'export MiB': (run.result.bytes / 1024 / 1024).toFixed(0),
      'records': run.result.lines,
      'workloads': run.result.workloads,
      'flows': run.result.flows,
      'import s': run.result.seconds.toFixed(2),
      'MiB/s': (run.result.bytes / 1024 / 1024 / run.result.seconds).toFixed(0),
      'records/s': Math.round(run.result.lines / run.result.seconds),
      'peak MB': run.peakRssMb.toFixed(0),
    });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}
