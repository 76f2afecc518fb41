import * as assert from "assert";
import * as fc from "fast-check";
import { EdgeSettings, edgeWarnings, HOSTED_ZONE_ID_RE, HOSTNAME_RE, isInZone, isReservedDomain, servesHttps } from "../../lib/edge";

const base: EdgeSettings = {
    prodLike: true,
    domain: { name: "api.acme.io", zone: { kind: "name", name: "acme.io" } },
    allowPlainHttp: false,
    accessLogs: { enabled: true, retentionDays: 90 },
};

describe("the public edge (lib/edge)", () => {
    it("no warning for a prod-like stack with its own domain and access logs", () => {
        assert.deepStrictEqual(edgeWarnings(base, undefined), []);
    });

    it("warns when a prod-like stack opts out of HTTPS with allowPlainHttp", () => {
        assert.deepStrictEqual(edgeWarnings({ ...base, domain: undefined, allowPlainHttp: true }, undefined), [
            "webfleet:allowPlainHttp = true: this prod-like stack (deletionProtection: true) serves the gateway over plain HTTP " +
                "on port 80. Only do this when TLS is terminated in front of the load balancer; otherwise set domainName and " +
                "hostedZoneName (or certificateArn) and remove allowPlainHttp. The policy pack rejects it unless the stack is " +
                "listed in the https-listeners policy's plainHttpStacks.",
        ]);
    });

    it("allowPlainHttp alone is no warning: not in a dev stack, nor when the stack serves HTTPS anyway", () => {
        const dev = { ...base, prodLike: false, domain: undefined, allowPlainHttp: true };
        assert.deepStrictEqual(edgeWarnings(dev, undefined), []);
        assert.deepStrictEqual(edgeWarnings({ ...base, allowPlainHttp: true }, undefined), []);
        assert.deepStrictEqual(edgeWarnings({ ...base, domain: undefined, allowPlainHttp: true }, "arn:aws:acm:eu-west-1:123456789012:certificate/abc"), []);
    });

    it("does not warn about plain HTTP in a stack that is not prod-like", () => {
        assert.deepStrictEqual(edgeWarnings({ ...base, prodLike: false, domain: undefined, accessLogs: { enabled: false, retentionDays: 7 } }, undefined), []);
    });

    it("warns about the shipped placeholder domain, naming the keys to set and the zone it would use", () => {
        const placeholder = (zone: string): string =>
            'webfleet:domainName = "gateway.example.com": a placeholder (reserved for documentation, RFC 2606). Set domainName ' +
            "to your public name and hostedZoneName (or hostedZoneId) to the Route 53 public hosted zone that holds it; " +
            `with ${zone} the zone lookup or the certificate's DNS validation fails.`;
        const byName = edgeWarnings({ ...base, domain: { name: "gateway.example.com", zone: { kind: "name", name: "example.com" } } }, undefined);
        assert.deepStrictEqual(byName, [placeholder("hostedZoneName example.com")]);
        const byId = edgeWarnings({ ...base, domain: { name: "gateway.example.com", zone: { kind: "id", id: "Z0123456789ABCDEFGHIJ" } } }, undefined);
        assert.deepStrictEqual(byId, [placeholder("hostedZoneId Z0123456789ABCDEFGHIJ")]);
    });

    it("warns when a prod-like stack turns access logs off", () => {
        assert.deepStrictEqual(edgeWarnings({ ...base, accessLogs: { enabled: false, retentionDays: 90 } }, undefined), [
            "webfleet:accessLogs = false: this prod-like stack keeps no load-balancer access logs (no record of requests the " +
                "ALB rejects or times out). The policy pack rejects it; set accessLogs: true.",
        ]);
    });

    it("serves HTTPS with a certificate or a domain", () => {
        assert.deepStrictEqual(
            [servesHttps(base, undefined), servesHttps({ ...base, domain: undefined }, "arn"), servesHttps({ ...base, domain: undefined }, undefined)],
            [true, true, false],
        );
    });

    it("reserved documentation names (RFC 2606 / 6761), and only those", () => {
        for (const d of ["example.com", "gateway.example.com", "a.example.net", "example.org", "x.example", "a.test", "b.invalid", "c.localhost", "example", "test", "invalid", "localhost"]) {
            assert.ok(isReservedDomain(d), d);
        }
        for (const d of ["myexample.com", "example.com.au", "examples.org", "api.acme.io", "test.acme.io", "contest"]) {
            assert.ok(!isReservedDomain(d), d);
        }
    });

    it("hostnames: lower-case labels, no wildcard, no trailing dot, no edge hyphens", () => {
        for (const ok of ["api.acme.io", "a.b", "x-1.y-2.xn--p1ai", `${"a".repeat(63)}.io`]) assert.ok(HOSTNAME_RE.test(ok), ok);
        for (const bad of ["localhost", "*.acme.io", "api.acme.io.", "API.acme.io", "-a.io", "a-.io", "a..io", `${"a".repeat(64)}.io`, "a.1", "a b.io"]) {
            assert.ok(!HOSTNAME_RE.test(bad), bad);
        }
    });

    it("hostnames: 253 characters at most (DNS), whatever the labels", () => {
        const label = "a".repeat(63);
        const longest = `${label}.${label}.${label}.${"a".repeat(61)}`;
        assert.strictEqual(longest.length, 253);
        assert.ok(HOSTNAME_RE.test(longest));
        const oneMore = `${label}.${label}.${label}.${"a".repeat(62)}`;
        assert.strictEqual(oneMore.length, 254);
        assert.ok(!HOSTNAME_RE.test(oneMore));
    });

    it("hosted zone ids: Z and 4 to 31 upper-case letters or digits, nothing around them", () => {
        for (const ok of ["Z0123456789ABCDEFGHIJ", "Z1234", `Z${"A".repeat(31)}`]) assert.ok(HOSTED_ZONE_ID_RE.test(ok), ok);
        for (const bad of ["Z123", `Z${"A".repeat(32)}`, "/hostedzone/Z0123456789ABCDEFGHIJ", "Z0123456789ABCDEFGHIJ ", "Z0123456789abcdefghij", "z0123456789ABCDEFGHIJ"]) {
            assert.ok(!HOSTED_ZONE_ID_RE.test(bad), bad);
        }
    });

    it("property: a name is in a zone exactly when it is the zone or ends with '.' + zone", () => {
        const label = fc.stringMatching(/^[a-z0-9]{1,8}$/);
        fc.assert(
            fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.array(label, { minLength: 0, maxLength: 3 }), (zoneLabels, sub) => {
                const zone = zoneLabels.join(".");
                const name = [...sub, zone].join(".");
                return isInZone(name, zone) && (sub.length === 0 || !isInZone(zone, name)) && !isInZone(`x${zone}`, zone);
            }),
        );
    });
});
