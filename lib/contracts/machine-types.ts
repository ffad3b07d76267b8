/**
 * The Compute Engine machine types the node pool accepts, with their size.
 *
 * A table rather than a parser of free strings: an unknown or misspelt type is refused at synth
 * time instead of failing minutes into `cdktf deploy`. Only x86-64 (amd64) families are listed,
 * because the Source IP tutorial's echoserver image is amd64-only (decision D8), and no shared-core
 * type (`e2-micro`, `e2-small`, `e2-medium`): their vCPUs are fractions of a core and GKE computes
 * their reservations differently. Sizes are from the Compute Engine machine families pages
 * (https://cloud.google.com/compute/docs/general-purpose-machines); Compute Engine's "GB" is GiB.
 */
export interface MachineType {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
}

/** A family's kind (`standard`, `highmem`, `highcpu`) as Compute Engine sells it. */
interface Kind {
  readonly gibPerVcpu: number;
  /** The vCPU counts it is sold in. */
  readonly sizes: readonly number[];
  /** The sizes whose memory is not `gibPerVcpu` times their vCPUs: GiB by vCPU count. */
  readonly memoryGiB?: Readonly<Record<number, number>>;
}

const FAMILIES: Record<string, Record<string, Kind>> = {
  e2: {
    standard: { gibPerVcpu: 4, sizes: [2, 4, 8, 16, 32] },
    highmem: { gibPerVcpu: 8, sizes: [2, 4, 8, 16] },
    highcpu: { gibPerVcpu: 1, sizes: [2, 4, 8, 16, 32] },
  },
  n2: {
    standard: { gibPerVcpu: 4, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128] },
    highmem: { gibPerVcpu: 8, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128], memoryGiB: { 128: 864 } },
    highcpu: { gibPerVcpu: 1, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96] },
  },
  n2d: {
    standard: { gibPerVcpu: 4, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224] },
    highmem: { gibPerVcpu: 8, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96] },
    highcpu: { gibPerVcpu: 1, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224] },
  },
  n1: {
    standard: { gibPerVcpu: 3.75, sizes: [1, 2, 4, 8, 16, 32, 64, 96] },
    highmem: { gibPerVcpu: 6.5, sizes: [2, 4, 8, 16, 32, 64, 96] },
    highcpu: { gibPerVcpu: 0.9, sizes: [2, 4, 8, 16, 32, 64, 96] },
  },
  t2d: {
    standard: { gibPerVcpu: 4, sizes: [1, 2, 4, 8, 16, 32, 48, 60] },
  },
};

/** Every known machine type, by name (`e2-standard-2` -> 2 vCPUs, 8 GiB). */
export const MACHINE_TYPES: ReadonlyMap<string, MachineType> = new Map(
  Object.entries(FAMILIES).flatMap(([family, kinds]) =>
    Object.entries(kinds).flatMap(([kind, { gibPerVcpu, sizes, memoryGiB }]) =>
      sizes.map((vcpus): [string, MachineType] => {
        const name = `${family}-${kind}-${vcpus}`;
        return [name, { name, vcpus, memoryGiB: memoryGiB?.[vcpus] ?? vcpus * gibPerVcpu }];
      }),
    ),
  ),
);

/** The machine type named `name`, or undefined when it is not in the table. */
export function machineType(name: string): MachineType | undefined {
  return MACHINE_TYPES.get(name);
}

/** The smallest node the tutorials accept: the ZooKeeper tutorial's "at least 2 CPUs and 4 GiB of memory" (D8). */
export const MIN_NODE = { vcpus: 2, memoryGiB: 4 } as const;

/**
 * Why `name` cannot be the node pool's machine type, or undefined when it can. Shared by the
 * settings check (which names the variable) and the NodePool construct (which names the prop).
 */
export function machineTypeProblem(name: string): string | undefined {
  const t = machineType(name);
  if (!t) {
    if (/^(t2a|c4a)-/.test(name))
      return "must be an amd64 machine type: the Source IP tutorial's echoserver image is amd64-only (decision D8)";
    if (/^e2-(micro|small|medium)$/.test(name))
      return 'must not be a shared-core machine type; use e2-standard-2 or larger';
    return `must be a known amd64 machine type (e2-, n2-, n2d-, n1-standard/highmem/highcpu-N or t2d-standard-N, such as "e2-standard-2"); see lib/contracts/machine-types.ts`;
  }
  if (t.vcpus < MIN_NODE.vcpus || t.memoryGiB < MIN_NODE.memoryGiB) {
    return `must have at least ${MIN_NODE.vcpus} vCPUs and ${MIN_NODE.memoryGiB} GiB of memory (the ZooKeeper tutorial's minimum node, decision D8); ${name} has ${t.vcpus} vCPUs and ${t.memoryGiB} GiB`;
  }
  return undefined;
}
