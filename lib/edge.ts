/**
 * The internet-facing edge of the fleet: how the load balancer serves TLS, the explicit
 * opt-out for stacks that terminate TLS elsewhere, and its access logs. Pure: the
 * settings (lib/settings.ts) parse into these types, and the program (index.ts) and the
 * offline plan print the warnings computed here.
 *
 * Prod-like: a stack with `deletionProtection: true`. Such a stack must serve HTTPS,
 * through `certificateArn` or `domainName` + a hosted zone, unless `allowPlainHttp: true`.
 */

/** The Route 53 public hosted zone that holds `domainName`: given by id, or looked up by name. */
export type HostedZone = { readonly kind: "id"; readonly id: string } | { readonly kind: "name"; readonly name: string };

export interface DomainSettings {
    /** The public name: ACM certificate subject and alias record to the load balancer. */
    readonly name: string;
    readonly zone: HostedZone;
}

export interface AccessLogSettings {
    readonly enabled: boolean;
    /** S3 lifecycle expiry of the log objects. */
    readonly retentionDays: number;
}

export interface EdgeSettings {
    /** `deletionProtection` is on: HTTPS is required unless `allowPlainHttp`. */
    readonly prodLike: boolean;
    readonly domain: DomainSettings | undefined;
    /** The explicit opt-out: a prod-like stack serving plain HTTP because TLS ends in front of it. */
    readonly allowPlainHttp: boolean;
    readonly accessLogs: AccessLogSettings;
}

/** Lower-case DNS name of 2+ labels, each 1–63 letters, digits or inner hyphens; at most 253 chars; no wildcard, no trailing dot. */
export const HOSTNAME_RE = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Route 53 hosted zone ids: `Z` and upper-case letters and digits (the console shows them without `/hostedzone/`). */
export const HOSTED_ZONE_ID_RE = /^Z[A-Z0-9]{4,31}$/;

/** True when `domain` is `zone` or a name under it. */
export function isInZone(domain: string, zone: string): boolean {
    return domain === zone || domain.endsWith(`.${zone}`);
}

/**
 * Names reserved for documentation (RFC 2606, RFC 6761): example.com/.net/.org and the
 * .example, .test, .invalid and .localhost top-level domains. No one can hold a public
 * hosted zone for them, so a stack that names one still carries the shipped placeholder.
 */
export function isReservedDomain(domain: string): boolean {
    return /(^|\.)example\.(com|net|org)$/.test(domain) || /(^|\.)(example|test|invalid|localhost)$/.test(domain);
}

/** The scheme and host of the public URL, for the stack output. */
export function servesHttps(edge: EdgeSettings, certificateArn: string | undefined): boolean {
    return certificateArn !== undefined || edge.domain !== undefined;
}

/**
 * What a reviewer must see before `pulumi up`, as `key = value: why` lines. The program
 * logs each as a Pulumi warning, so both `pulumi preview` and the offline plan print it.
 */
export function edgeWarnings(edge: EdgeSettings, certificateArn: string | undefined): string[] {
    const warnings: string[] = [];
    if (edge.prodLike && edge.allowPlainHttp && !servesHttps(edge, certificateArn)) {
        warnings.push(
            "webfleet:allowPlainHttp = true: this prod-like stack (deletionProtection: true) serves the gateway over plain HTTP " +
                "on port 80. Only do this when TLS is terminated in front of the load balancer; otherwise set domainName and " +
                "hostedZoneName (or certificateArn) and remove allowPlainHttp. The policy pack rejects it unless the stack is " +
                "listed in the https-listeners policy's plainHttpStacks.",
        );
    }
    if (edge.domain !== undefined && isReservedDomain(edge.domain.name)) {
        const zone = edge.domain.zone.kind === "name" ? `hostedZoneName ${edge.domain.zone.name}` : `hostedZoneId ${edge.domain.zone.id}`;
        warnings.push(
            `webfleet:domainName = "${edge.domain.name}": a placeholder (reserved for documentation, RFC 2606). Set domainName ` +
                `to your public name and hostedZoneName (or hostedZoneId) to the Route 53 public hosted zone that holds it; ` +
                `with ${zone} the zone lookup or the certificate's DNS validation fails.`,
        );
    }
    if (edge.prodLike && !edge.accessLogs.enabled) {
        warnings.push(
            "webfleet:accessLogs = false: this prod-like stack keeps no load-balancer access logs (no record of requests the " +
                "ALB rejects or times out). The policy pack rejects it; set accessLogs: true.",
        );
    }
    return warnings;
}
