import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Idle and total CPU time of the whole machine, in ms, summed over its cores. */
export function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

// Linux USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 10 ms.
const MICROS_PER_TICK = 10_000;

/**
 * CPU time used so far by the PostgreSQL processes of this machine (server, backends, WAL
 * writer...), in µs, read from /proc; undefined where there is no /proc or no local server.
 * Backends that exit take their time with them, so it suits long-lived connections (a pool).
 */
export function postgresCpuMicros(): number | undefined {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (!stat.includes('(postgres)')) continue;
    // Fields after "(comm) ": state is field 3, utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  return found ? ticks * MICROS_PER_TICK : undefined;
}
