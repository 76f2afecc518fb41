/**
 * Subnet layout for the VPC: one small public subnet per AZ (ALB and NAT only) and one
 * large private subnet per AZ (tasks, RDS, Redis; each Fargate task takes an IP).
 *
 *   VPC      10.0.0.0/16
 *   public   10.0.<i>.0/24             i = 0..azCount-1   (inside 10.0.0.0/19)
 *   private  10.0.<32·(i+1)>.0/19      8,190 usable addresses each
 */
export const VPC_CIDR = "10.0.0.0/16";
export const MAX_AZS = 6;

export interface SubnetPlan {
    readonly publicCidrs: readonly string[];
    readonly privateCidrs: readonly string[];
}

export function parseCidr(cidr: string): { base: number; prefix: number } {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) {
        throw new Error(`not an IPv4 CIDR: ${cidr}`);
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        throw new Error(`not an IPv4 CIDR: ${cidr}`);
    }
    const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    return { base, prefix };
}

export function formatCidr(base: number, prefix: number): string {
    return `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${prefix}`;
}

/** [first, last] address of a CIDR, as unsigned 32-bit numbers. */
export function cidrRange(cidr: string): [number, number] {
    const { base, prefix } = parseCidr(cidr);
    const size = 2 ** (32 - prefix);
    return [base, base + size - 1];
}

export function planSubnets(azCount: number): SubnetPlan {
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) {
        throw new Error(`azCount must be an integer from 1 to ${MAX_AZS}, got ${azCount}`);
    }
    const { base } = parseCidr(VPC_CIDR);
    const publicCidrs: string[] = [];
    const privateCidrs: string[] = [];
    for (let i = 0; i < azCount; i++) {
        publicCidrs.push(formatCidr(base + i * 256, 24));
        privateCidrs.push(formatCidr(base + (i + 1) * 8192, 19));
    }
    return { publicCidrs, privateCidrs };
}
