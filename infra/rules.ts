import { Problem, cidrProblem } from '../lib/shared';
import { DEFAULT_NETWORK_RANGES } from './network';

// The rules of the cdktf app's settings, shared by the settings check (infra/settings.ts, which
// names the variable) and the constructs (which name the prop).

/** The ZooKeeper tutorial's minimum: "at least four nodes" (D8). */
export const MIN_NODE_COUNT = 4;

export function nodeCountProblem(n: number): Problem {
  if (!Number.isInteger(n) || n < MIN_NODE_COUNT || n > 100) {
    return `must be an integer between ${MIN_NODE_COUNT} and 100 (the ZooKeeper tutorial needs at least four nodes, decision D8)`;
  }
  return undefined;
}

/** GKE cluster names: RFC 1035, at most 40; 24 here so that `<name>-nodes` fits a service account id (30). */
export function clusterNameProblem(name: string): Problem {
  if (!/^[a-z]([-a-z0-9]{0,22}[a-z0-9])?$/.test(name)) {
    return 'must be 1-24 lower-case letters, digits and "-", starting with a letter and not ending with "-" (it prefixes the network, node pool, service account and address names)';
  }
  return undefined;
}

/** Project ids: 6-30 characters, lower-case letters, digits and hyphens, starting with a letter. */
export function projectProblem(project: string): Problem {
  if (project !== '' && !/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(project)) {
    return 'must be a Google Cloud project id: 6-30 lower-case letters, digits and "-", starting with a letter';
  }
  return undefined;
}

export function regionProblem(region: string): Problem {
  return /^[a-z]+-[a-z]+\d+$/.test(region)
    ? undefined
    : 'must be a Compute Engine region such as "us-central1" or "europe-west4"';
}

export function zoneProblem(zone: string, region: string): Problem {
  return new RegExp(`^${region}-[a-z]$`).test(zone)
    ? undefined
    : `must be a zone of the region ${region}, such as "${region}-c"`;
}

export function bucketProblem(bucket: string): Problem {
  return /^[a-z0-9][-_.a-z0-9]{1,61}[a-z0-9]$/.test(bucket)
    ? undefined
    : 'must be a Cloud Storage bucket name (3-63 lower-case letters, digits, "-", "_" and ".")';
}

/** The zones a regional cluster's nodes run in: at least one, each a zone of the region, none twice. */
export function nodeLocationsProblem(zones: readonly string[], region: string): Problem {
  if (zones.length === 0)
    return `must list at least one zone of the region ${region} (see \`gcloud compute zones list --filter=region:${region}\`)`;
  for (const z of zones) {
    const p = zoneProblem(z, region);
    if (p) return `has "${z}", which ${p}`;
  }
  if (new Set(zones).size !== zones.length) return 'must list each zone once';
  return undefined;
}

/** [first address, last address] of an IPv4 CIDR range (already checked by cidrProblem). */
export function cidrBounds(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const first = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return [first, first + 2 ** (32 - Number(bits)) - 1];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [a0, a1] = cidrBounds(a);
  const [b0, b1] = cidrBounds(b);
  return a0 <= b1 && b0 <= a1;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * The control plane's range of a cluster with private nodes: a /28 (GKE requires exactly that
 * size) in the RFC 1918 private ranges, overlapping none of the network's ranges (`others`, by name).
 */
export function masterCidrProblem(
  cidr: string,
  others: Readonly<Record<string, string>> = DEFAULT_NETWORK_RANGES,
): Problem {
  const p = cidrProblem(cidr);
  if (p) return p;
  if (!cidr.endsWith('/28')) return 'must be a /28 (GKE gives the control plane exactly 16 addresses)';
  if (!PRIVATE_RANGES.some((r) => cidrsOverlap(r, cidr)))
    return `must be inside a private range (${PRIVATE_RANGES.join(', ')})`;
  for (const [name, other] of Object.entries(others)) {
    if (cidrsOverlap(cidr, other)) return `must not overlap the network's ${name} ${other}`;
  }
  return undefined;
}

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** GKE's rule: at least 48 hours of maintenance availability in any 32 days, counting stretches of at least 4 hours. */
const MIN_HOURS_PER_32_DAYS = 48;
const MIN_WINDOW_HOURS = 4;

export interface MaintenanceWindow {
  /** RFC 5545 RRULE, such as `FREQ=WEEKLY;BYDAY=SA,SU`. */
  readonly recurrence: string;
  /** RFC 3339 start; only its time of day matters for a weekly or daily recurrence. */
  readonly startTime: string;
  readonly endTime: string;
  /** Hours per occurrence. */
  readonly hours: number;
  /** The fewest hours any 32 consecutive days hold. */
  readonly hoursPer32Days: number;
}

const WINDOW =
  /^(daily|(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)\s+([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** `SA,SU 02:00-10:00` or `daily 03:00-07:00` (UTC; an end before the start ends the next day), or undefined when malformed. */
export function parseMaintenanceWindow(spec: string): MaintenanceWindow | undefined {
  if (typeof spec !== 'string') return undefined;
  const m = WINDOW.exec(spec.trim());
  if (!m) return undefined;
  const days = m[1] === 'daily' ? [...DAYS] : m[1].split(',');
  const start = Number(m[2]) * 60 + Number(m[3]);
  const end = Number(m[4]) * 60 + Number(m[5]);
  if (end > 24 * 60 || new Set(days).size !== days.length) return undefined;
  const minutes = (end - start + 24 * 60) % (24 * 60);
  if (minutes === 0) return undefined;
  // Fewest chosen days in any 32 consecutive days: 4 whole weeks plus the worst 4 extra days.
  const chosen = DAYS.map((d) => days.includes(d));
  const fewest = Math.min(
    ...DAYS.map((_, first) => Array.from({ length: 32 }, (_, i) => chosen[(first + i) % 7]).filter(Boolean).length),
  );
  const hours = minutes / 60;
  // A Saturday in January 2025, so that the first window is a chosen day; GKE uses the time of
  // day and the recurrence. A fixed date keeps the synthesized JSON the same on every run.
  const day = 4;
  const at = (min: number) => new Date(Date.UTC(2025, 0, day, 0, min)).toISOString().replace('.000Z', 'Z');
  return {
    recurrence: m[1] === 'daily' ? 'FREQ=DAILY' : `FREQ=WEEKLY;BYDAY=${days.join(',')}`,
    startTime: at(start),
    endTime: at(start + minutes),
    hours,
    hoursPer32Days: hours >= MIN_WINDOW_HOURS ? fewest * hours : 0,
  };
}

export function maintenanceWindowProblem(spec: string): Problem {
  const w = parseMaintenanceWindow(spec);
  if (!w)
    return 'must be "<days> HH:MM-HH:MM" in UTC, days "daily" or a comma-separated list of MO,TU,WE,TH,FR,SA,SU, such as "SA,SU 02:00-10:00"';
  if (w.hours < MIN_WINDOW_HOURS)
    return `must be at least ${MIN_WINDOW_HOURS} hours long (GKE only counts stretches of ${MIN_WINDOW_HOURS} hours or more); this one is ${w.hours} hours`;
  if (w.hoursPer32Days < MIN_HOURS_PER_32_DAYS) {
    return `must allow at least ${MIN_HOURS_PER_32_DAYS} hours of maintenance in any 32 days (GKE refuses less); this one allows ${w.hoursPer32Days} in the worst 32 days`;
  }
  return undefined;
}

/** Google Cloud label keys and values (ASCII subset): keys start with a letter, both at most 63 of a-z 0-9 _ -. */
export function gcpLabelsProblem(labels: Readonly<Record<string, string>>): Problem {
  const entries = Object.entries(labels);
  if (entries.length > 64) return 'must have at most 64 labels';
  for (const [k, v] of entries) {
    if (!/^[a-z][-_a-z0-9]{0,62}$/.test(k))
      return `has the key "${k}"; keys must be 1-63 lower-case letters, digits, "_" and "-", starting with a letter`;
    if (typeof v !== 'string' || !/^[-_a-z0-9]{0,63}$/.test(v))
      return `has "${k}=${String(v)}"; values must be at most 63 lower-case letters, digits, "_" and "-"`;
  }
  return undefined;
}
