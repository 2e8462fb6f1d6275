/**
 * The migration device-state machine: which SET MIG_DEVICE_STATE requests
 * are allowed, and the path a device walks for them (spec/migration.ts).
 */
import { migration } from './spec.js';

/**
 * The states a device passes through from `from` to `to`, both included, or
 * null when the change is not allowed (unsupported state, leaving ERROR, a
 * forbidden combination, or no path through STOP and RUNNING only).
 */
export function migrationPath(from: number, to: number): number[] | null {
  if (!migration.supported.includes(to) || !migration.supported.includes(from)) return null;
  if (from === to) return [from];
  if (migration.forbidden.some(([a, b]) => a === from && b === to)) return null;
  const prev = new Map<number, number>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const [a, b] of migration.arcs) {
      if (a !== s || prev.has(b)) continue;
      prev.set(b, s);
      if (b === to) {
        const path = [to];
        for (let x = to; x !== from; x = prev.get(x)!) path.unshift(prev.get(x)!);
        return path;
      }
      if (migration.through.includes(b)) queue.push(b);
    }
  }
  return null;
}
