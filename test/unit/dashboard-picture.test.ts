import * as assert from "assert";
import * as fs from "fs";
import { PICTURE, prodPicture } from "../../tools/dashboard/render";

describe("docs/dashboard.svg (the README's dashboard picture)", () => {
    it("is drawn from the dashboard body the program deploys for prod: run `npm run dashboard:picture` after changing it", () => {
        assert.strictEqual(fs.readFileSync(PICTURE, "utf8"), prodPicture(), "docs/dashboard.svg is stale");
    });
});
