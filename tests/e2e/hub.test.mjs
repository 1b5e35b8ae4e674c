// Loading a tokenizer by its Hugging Face Hub id (issue 14). The Hub's `resolve` URLs are served
// from the repository's own files through playwright's request routing: no test touches the
// network, and any other off-origin request fails the test.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { andRun, openDemo, settle, siteForTests, T } from "./helpers.mjs";
import { tokenizerJson } from "../js/helpers.mjs";

const site = siteForTests();
const json = (body, status = 200) => ({ status, contentType: "application/json", body: typeof body === "string" ? body : JSON.stringify(body) });

/** The Hub as these tests know it: path → answer. */
const HUB = {
  "/bert-base-uncased/resolve/main/tokenizer.json": json(tokenizerJson("bert-base-uncased")),
  "/bert-base-uncased/resolve/main/tokenizer_config.json": json({ mask_token: "[MASK]", model_max_length: 512 }),
  "/someone/bert-v2/resolve/v2.0/tokenizer.json": json(tokenizerJson("bert-base-uncased")),
  "/someone/bert-v2/resolve/v2.0/tokenizer_config.json": json({ mask_token: { content: "[MASK]" } }),
  // A RoBERTa-style file whose mask token only the config names.
  "/someone/odd-mask/resolve/main/tokenizer.json": json(tokenizerJson("roberta-base").replaceAll("<mask>", "<hole>")),
  "/someone/odd-mask/resolve/main/tokenizer_config.json": json({ mask_token: "<hole>" }),
  "/someone/slow-only/resolve/main/tokenizer_config.json": json({ do_lower_case: true }),
  "/meta-llama/Gated-7b/resolve/main/tokenizer.json": json({ error: "Access to model is restricted" }, 401),
  "/meta-llama/Gated-7b/resolve/main/tokenizer_config.json": json({ error: "Access to model is restricted" }, 401),
};

async function openWithHub(fragment = "") {
  const requested = [];
  const demo = await openDemo(site, {
    fragment,
    beforeGoto: async (page) => {
      await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, async (route) => {
        const url = new URL(route.request().url());
        requested.push(url.href);
        if (url.origin !== "https://huggingface.co") return route.abort();
        await route.fulfill(HUB[url.pathname] ?? json({ error: "Repository not found" }, 404));
      });
    },
  });
  return { ...demo, requested };
}

async function loadHub(page, id, revision = "") {
  await page.evaluate(() => (document.querySelector(".own-tokenizer").open = true));
  await page.fill("[data-hub-id]", id);
  await page.fill("#hub-revision", revision);
  await page.click("#hub-load");
}

describe("loading from the Hugging Face Hub", () => {
  it("loads by id on Load only, with the config's mask token, and keeps it in the link", T, async () => {
    const { page, context, errors, requested } = await openWithHub();
    assert.deepEqual(requested, [], "nothing fetched from the Hub before Load");
    await andRun(page, () => loadHub(page, "bert-base-uncased"));
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "hub:bert-base-uncased");
    assert.deepEqual(requested.sort(), [
      "https://huggingface.co/bert-base-uncased/resolve/main/tokenizer.json",
      "https://huggingface.co/bert-base-uncased/resolve/main/tokenizer_config.json",
    ]);
    assert.ok((await page.$$("#token-view [data-outcome]")).length > 5);
    assert.match(await page.inputValue("#tokenizer-select"), /^hub:bert-base-uncased$/);
    await page.waitForTimeout(400);
    const link = page.url();
    assert.match(link, /tok=hub%3Abert-base-uncased/);

    // A revision, and a mask token only the config names (as a dict, as newer files write it).
    await andRun(page, () => loadHub(page, "someone/bert-v2", "v2.0"));
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "hub:someone/bert-v2@v2.0");
    await andRun(page, () => loadHub(page, "someone/odd-mask"));
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "hub:someone/odd-mask");
    assert.equal(await page.evaluate(() => window.mlmaskDemo.tokenizer().maskTokenId), await page.evaluate(() => window.mlmaskDemo.tokenizer().tokenToId("<hole>")));
    assert.deepEqual(errors, []);
    await context.close();

    // The link names the model; the page asks before fetching it.
    const again = await openWithHub(link.split("#")[1]);
    await settle(again.page);
    assert.deepEqual(again.requested, []);
    assert.equal(await again.page.inputValue("[data-hub-id]"), "bert-base-uncased");
    assert.match(await again.page.textContent("#notices"), /Load from the Hub/);
    await again.context.close();
  });

  it("says what is wrong: not found, gated, not a fast tokenizer, not an id; the old tokenizer stays", T, async () => {
    const { page, context, errors } = await openWithHub();
    const cases = [
      ["nobody/missing", /nobody\/missing was not found on the Hub: check the model id/],
      ["meta-llama/Gated-7b", /gated or private on the Hub.*never sends credentials/],
      ["someone/slow-only", /has no tokenizer\.json: it is not a fast tokenizer/],
      ["not a model id!", /is not a Hugging Face model id/],
    ];
    for (const [id, message] of cases) {
      await loadHub(page, id);
      await page.waitForFunction(() => !document.getElementById("tokenizer-error").hidden);
      assert.match(await page.textContent("#tokenizer-error"), message, id);
      assert.equal(await page.evaluate(() => window.mlmaskDemo.settings().tokenizer), "bert-base-uncased");
      await page.evaluate(() => (document.getElementById("tokenizer-error").hidden = true));
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
