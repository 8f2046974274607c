import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { median, round } from './stats.js';
import type { VerifyResults } from './verification.js';
import type { ModeRun, WriteResults } from './writes.js';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  kernel: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  commit: string;
}

export interface Goal {
  name: string;
  goal: string;
  value: number;
  met: boolean;
}

export interface Results {
  kind: 'full' | 'smoke';
  date: string;
  machine: Machine;
  goals: Goal[];
  verification: VerifyResults;
  writes: WriteResults;
}

export function machine(postgres: string, postgresSettings: Record<string, string>): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres,
    postgresSettings,
    kernel: release(),
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
    commit: gitCommit(),
  };
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

export function goals(writes: WriteResults, verification: VerifyResults): Goal[] {
  return [
    { name: 'audited / plain writes per second (median of rounds)', goal: '≥ 0.75', value: writes.medianRatio, met: writes.medianRatio >= 0.75 },
    { name: 'commit → integration p99 (ms)', goal: '≤ 250', value: writes.latency.p99, met: writes.latency.p99 <= 250 },
    { name: 'verifyTree (all cores) / two SHA-256 calls per entry (one thread)', goal: '≥ 0.50', value: verification.ratioToTwoPerEntry ?? 0, met: (verification.ratioToTwoPerEntry ?? 0) >= 0.5 },
  ];
}

/** The human-readable summary printed at the end of a run. */
export function table(results: Results): string {
  const { machine: m, writes: w, verification: v } = results;
  const lines: string[] = [];
  const judged = results.kind === 'full';
  const verdict = (goal: Goal) => (judged ? (goal.met ? 'met' : 'MISSED') : 'not judged (smoke)');
  const [writeGoal, latencyGoal, verifyGoal] = results.goals;
  const n = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

  lines.push(`Custodia audit log benchmark (${results.kind}), ${results.date}`);
  lines.push(`  ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; PostgreSQL ${m.postgres}; commit ${m.commit}`);
  lines.push(`  load average at start ${m.loadAverageAtStart.join(' ')}, at end ${m.loadAverageAtEnd?.join(' ') ?? '?'}`);
  lines.push('');
  lines.push(`1. Writes: ${w.options.writers} writers, app pool of ${w.poolMax}, ${w.options.rounds} rounds × ${w.options.seconds} s per mode, interleaved`);
  lines.push(`   audited = business row + LogWriter.append (entry ${w.entryBytes.median} bytes) with the integrator running; plain = business row only`);
  const row = (cells: string[]) => `   ${cells[0]!.padEnd(5)} ${cells[1]!.padStart(12)} ${cells[2]!.padStart(14)} ${cells[3]!.padStart(15)}   ${cells[4]!.padStart(14)} ${cells[5]!.padStart(16)}     ${cells[6]}`;
  lines.push(row(['', '', '', '', 'CPU µs per tx,', 'plain → audited', 'machine busy']));
  lines.push(row(['round', 'plain tx/s', 'audited tx/s', 'audited/plain', 'this process', 'PostgreSQL', 'plain / audited']));
  for (let round = 1; round <= w.options.rounds; round++) {
    const plain = w.runs.find((r) => r.round === round && r.mode === 'plain')!;
    const audited = w.runs.find((r) => r.round === round && r.mode === 'audited')!;
    const node = `${n(plain.processCpuMicrosPerTx)} → ${n(audited.processCpuMicrosPerTx)}`;
    const postgres = `${pgCpu(plain)} → ${pgCpu(audited)}`;
    const busy = `${pct(plain.machineBusy)} / ${pct(audited.machineBusy)}`;
    lines.push(row([String(round), n(plain.perSecond), n(audited.perSecond), w.ratios[round - 1]!.toFixed(3), node, postgres, busy]));
  }
  lines.push(`   median audited/plain ${w.medianRatio.toFixed(3)}   goal ${writeGoal!.goal}: ${verdict(writeGoal!)}`);
  lines.push('');
  const l = w.latency;
  lines.push(`2. Commit → integration under the audited load: ${n(l.entries)} entries, polled every ${w.poll.intervalMs} ms from a worker thread`);
  lines.push(`   (poll round trip p50 ${w.poll.roundTripP50.toFixed(1)} ms: resolution ≈ ${w.poll.resolutionMs.toFixed(0)} ms; figures are upper bounds)`);
  lines.push(`   p50 ${l.p50.toFixed(1)} ms   p90 ${l.p90.toFixed(1)} ms   p99 ${l.p99.toFixed(1)} ms   max ${l.max.toFixed(1)} ms   (lower bound p99 ${l.lowerBoundP99.toFixed(1)} ms)`);
  const batches = w.runs.filter((r) => r.mode === 'audited');
  const perBatch = batches.reduce((s, r) => s + r.transactions, 0) / Math.max(1, batches.reduce((s, r) => s + r.integratorBatches, 0));
  lines.push(`   integrator batches of ${perBatch.toFixed(1)} entries on average; drain after the last commit: median ${median(w.drainMs).toFixed(0)} ms`);
  lines.push(`   goal p99 ${latencyGoal!.goal} ms: ${verdict(latencyGoal!)}`);
  lines.push('');
  lines.push(`3. Full verification of ${n(v.treeSize)} entries (${Math.round(v.bytes.entries / v.treeSize - 1)} bytes each on average)`);
  lines.push(`   ${(v.bytes.total / 1e6).toFixed(1)} MB = entries with their 0x00 prefix (${(v.bytes.entries / 1e6).toFixed(1)} MB) + ${v.bytes.tileCount} tiles (${(v.bytes.tiles / 1e6).toFixed(1)} MB)`);
  lines.push(`   verifyTree, in memory (no HTTP), ${v.threads ?? 1} thread(s) ${ms(median(v.verifyTreeMs))}   ${mbps(v.verifyMBps)}`);
  if (v.rawTwoPerEntryMs) lines.push(`   node:crypto SHA-256, two calls per entry  ${ms(median(v.rawTwoPerEntryMs))}   (one thread)`);
  lines.push(`   node:crypto SHA-256, one stream           ${ms(median(v.rawStreamMs))}   ${mbps(v.rawStreamMBps)}`);
  lines.push(`   node:crypto SHA-256, one hash per item    ${ms(median(v.rawPerItemMs))}   ${mbps(v.rawPerItemMBps)}   (context)`);
  lines.push(`   verify / two calls per entry ${(v.ratioToTwoPerEntry ?? 0).toFixed(3)}   goal ${verifyGoal!.goal}: ${verdict(verifyGoal!)}`);
  lines.push(`   verify / raw stream ${v.ratio.toFixed(3)} (verify / per-item ${v.ratioToPerItem.toFixed(3)})   (context)`);
  const cliMBps = v.bytes.total / 1e6 / v.cli.seconds;
  lines.push(`   verifier CLI --url with an oversight token, end to end over loopback HTTP: ${v.cli.seconds.toFixed(2)} s`);
  lines.push(`     (${n(v.cli.entriesPerSecond)} entries/s, ${cliMBps.toFixed(1)} MB/s; ${(cliMBps / v.rawStreamMBps).toFixed(3)} of raw; includes Node start-up and the server's work)`);
  lines.push(`   integration of the ${n(v.filled)} entries queued at once: ${v.integration.seconds.toFixed(2)} s (${n(v.integration.entriesPerSecond)} entries/s, ${v.integration.batches} batches)`);
  return lines.join('\n');
}

const pgCpu = (run: ModeRun) => (run.postgresCpuMicrosPerTx === null ? '?' : Math.round(run.postgresCpuMicrosPerTx).toString());
const pct = (x: number) => `${Math.round(x * 100)}%`;
const ms = (x: number) => `${x.toFixed(1).padStart(9)} ms`;
const mbps = (x: number) => `${x.toFixed(1).padStart(8)} MB/s`;
