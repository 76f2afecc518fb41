/**
 * RDS storage autoscaling bounds for PostgreSQL. The ceiling (maxAllocatedStorage) is
 * 5 × the allocated storage, but never above RDS's 65,536 GiB (64 TiB) for PostgreSQL, and
 * RDS rejects a ceiling less than 10 % above the allocated storage ("Invalid max storage
 * size"; RDS User Guide, USER_PIOPS.Autoscaling). Where no valid ceiling exists, storage
 * autoscaling stays off.
 */

/** Largest storage RDS for PostgreSQL allows, maxAllocatedStorage included (GiB). */
export const RDS_POSTGRES_MAX_STORAGE_GB = 65536;
/** How far autoscaling may grow the storage, relative to what is allocated. */
export const STORAGE_GROWTH_FACTOR = 5;

/** maxAllocatedStorage for `allocatedGb`, or undefined when storage autoscaling cannot be enabled. */
export function storageCeilingGb(allocatedGb: number): number | undefined {
    const ceiling = Math.min(allocatedGb * STORAGE_GROWTH_FACTOR, RDS_POSTGRES_MAX_STORAGE_GB);
    // At least 10 % above the allocated storage, in whole GiB.
    return ceiling >= Math.ceil(allocatedGb * 1.1) ? ceiling : undefined;
}
