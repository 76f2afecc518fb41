/**
 * The table's parsers at their edges (lib/config-keys.ts): each key's parser is what
 * lib/settings runs on the trimmed CLI string.
 */
import * as assert from "assert";
import { CONFIG_KEYS } from "../../lib/config-keys";

const accepts = (key: keyof typeof CONFIG_KEYS, raw: string): boolean => CONFIG_KEYS[key].parse(raw).ok;

describe("config key parsers at their edges (lib/config-keys)", () => {
    it("alarm e-mail: plain addresses up to 254 characters, with every character RFC 5322 allows before the @", () => {
        const domain = "@example.com";
        for (const good of ["ops@a.io", "Ops@Example.COM", "o.p!#$%&'*+/=?^_`{|}~-s@example.com", "on-call@mail.eu-west.example.org", `${"a".repeat(254 - domain.length)}${domain}`]) {
            assert.ok(accepts("alarmEmail", good), good);
        }
        for (const bad of [`${"a".repeat(255 - domain.length)}${domain}`, "ops@localhost", "ops@@example.com", "ops@exa_mple.com", "ops@example..com", "ops@.example.com", "ops@example.com.", "@example.com", "ops@example.c-"]) {
            assert.ok(!accepts("alarmEmail", bad), bad);
        }
    });

    it("alarm e-mail domains: labels of 1 to 63 characters, hyphens inside only", () => {
        const label = (n: number): string => "a".repeat(n);
        assert.ok(accepts("alarmEmail", `ops@${label(63)}.com`));
        assert.ok(accepts("alarmEmail", `ops@x.${label(63)}`));
        // One-character labels after the first, too.
        assert.ok(accepts("alarmEmail", "ops@mail.x.example.com"));
        assert.ok(accepts("alarmEmail", "ops@example.x"));
        assert.ok(!accepts("alarmEmail", `ops@${label(64)}.com`));
        assert.ok(!accepts("alarmEmail", `ops@x.${label(64)}`));
        assert.ok(accepts("alarmEmail", "ops@a-b.c-d.com"));
        assert.ok(accepts("alarmEmail", "ops@a--b.com"));
        for (const bad of ["ops@-ab.com", "ops@ab-.com", "ops@ab.-com", "ops@ab.com-"]) {
            assert.ok(!accepts("alarmEmail", bad), bad);
        }
    });

    it("appPath: relative paths, dots inside names allowed; no leading slash and no `..` segment anywhere", () => {
        for (const good of ["app", "apps/web-1_x.y", "./app", "a..b", "..app", "app..", "web/..app", "web/app.."]) {
            assert.ok(accepts("appPath", good), good);
        }
        for (const bad of ["/app", "..", "../app", "app/..", "app/../web", "a/b/../../..", "app/./..", "app dir"]) {
            assert.ok(!accepts("appPath", bad), bad);
        }
    });

    it("dbMaxConnectionsConfirmed: 0 or empty is unset, any value SHOW max_connections can report is kept, the rest refused with the range", () => {
        const parse = CONFIG_KEYS.dbMaxConnectionsConfirmed.parse;
        assert.deepStrictEqual([parse("0"), parse(""), parse(undefined)], [{ ok: true, value: undefined }, { ok: true, value: undefined }, { ok: true, value: undefined }]);
        assert.deepStrictEqual([parse("1"), parse("262143")], [{ ok: true, value: 1 }, { ok: true, value: 262143 }]);
        for (const bad of ["-1", "262144"]) {
            assert.deepStrictEqual(parse(bad), { ok: false, allowed: "must be an integer from 1 to 262143 (or 0 for the default behaviour)." }, bad);
        }
    });
});

