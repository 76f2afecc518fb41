import * as assert from "assert";
import * as fc from "fast-check";
import { EdgeSettings, edgeWarnings, HOSTNAME_RE, isInZone, isReservedDomain, servesHttps } from "../../lib/edge";

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
        const warnings = edgeWarnings({ ...base, domain: undefined, allowPlainHttp: true }, undefined);
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0], /^webfleet:allowPlainHttp = true: .*plain HTTP.*plainHttpStacks/);
    });

    it("does not warn about plain HTTP in a stack that is not prod-like", () => {
        assert.deepStrictEqual(edgeWarnings({ ...base, prodLike: false, domain: undefined, accessLogs: { enabled: false, retentionDays: 7 } }, undefined), []);
    });

    it("warns about the shipped placeholder domain, naming the keys to set", () => {
        const warnings = edgeWarnings({ ...base, domain: { name: "gateway.example.com", zone: { kind: "name", name: "example.com" } } }, undefined);
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0], /^webfleet:domainName = "gateway.example.com": a placeholder.*hostedZoneName/);
    });

    it("warns when a prod-like stack turns access logs off", () => {
        assert.match(edgeWarnings({ ...base, accessLogs: { enabled: false, retentionDays: 90 } }, undefined)[0], /^webfleet:accessLogs = false/);
    });

    it("serves HTTPS with a certificate or a domain", () => {
        assert.deepStrictEqual(
            [servesHttps(base, undefined), servesHttps({ ...base, domain: undefined }, "arn"), servesHttps({ ...base, domain: undefined }, undefined)],
            [true, true, false],
        );
    });

    it("reserved documentation names (RFC 2606 / 6761), and only those", () => {
        for (const d of ["example.com", "gateway.example.com", "a.example.net", "example.org", "x.example", "a.test", "b.invalid", "c.localhost"]) {
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
