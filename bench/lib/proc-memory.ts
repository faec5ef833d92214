/**
 * Peak memory of a process that another process starts, read from Linux's
 * `/proc`: the dynamic provider runs in its own Node process
 * (`pulumi-resource-pulumi-nodejs`, the SDK's `cmd/dynamic-provider`), a
 * grandchild of the `pulumi` CLI. A watcher samples the CLI's descendants
 * and keeps the highest `VmHWM` (the kernel's own high-water mark of the
 * resident set, so a sample taken any time before the process exits sees
 * the peak up to then).
 */
import * as fs from "node:fs";

/** What a watcher found. */
export interface PeakMemory {
  /** Highest `VmHWM` of a matching process, in KiB; 0 when none was seen. */
  readonly peakKiB: number;
  /** Matching processes seen. */
  readonly processes: number;
}

/** Parent pid of every process, from `/proc/<pid>/stat`. */
function readParents(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function descendants(root: number, children: ReadonlyMap<number, number[]>): number[] {
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** `VmHWM` of a process in KiB, or undefined when it is gone. */
export function readHighWaterMarkKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** Whether `/proc` can be read here (Linux). */
export function canWatchMemory(): boolean {
  return fs.existsSync("/proc/self/status");
}

/**
 * Samples every `intervalMs` the descendants of `rootPid` whose command line
 * matches `pattern`, until `stop()`.
 */
export function watchPeakMemory(rootPid: number, pattern: RegExp, intervalMs = 50): { stop(): PeakMemory } {
  let peakKiB = 0;
  const seen = new Set<number>();
  const sample = (): void => {
    for (const pid of descendants(rootPid, readParents())) {
      let cmdline: string;
      try {
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        continue;
      }
      if (!pattern.test(cmdline)) {
        continue;
      }
      seen.add(pid);
      peakKiB = Math.max(peakKiB, readHighWaterMarkKiB(pid) ?? 0);
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { peakKiB, processes: seen.size };
    },
  };
}
