// Accessibility (WCAG 2.2 AA, checked with axe-core in Chromium) of the built card in
// light and dark, full and compact, and in every state of the signup form; accessible
// names of the photo and its credit; visible focus; reduced motion.
import assert from "node:assert/strict";
import { test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { openPage, setUp, waitForState } from "./helpers.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

test("accessibility", async (t) => {
  const { server, context } = await setUp(t);

  async function card(attributes = {}) {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    await page.evaluate((attrs) => {
      const el = document.querySelector("#card");
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    }, attributes);
    // Until the card shows what the attributes say, axe would check the previous render.
    await page.waitForFunction((attrs) => {
      const root = document.querySelector("#card").shadowRoot;
      const card = root.querySelector("[part=card]");
      return (
        (!attrs.theme || card.classList.contains(`theme-${attrs.theme}`)) &&
        (!attrs.layout || card.classList.contains(`layout-${attrs.layout}`)) &&
        (!attrs["signup-endpoint"] || root.querySelector("form")?.getAttribute("action")?.endsWith(attrs["signup-endpoint"]))
      );
    }, attributes);
    return page;
  }
  async function violations(page) {
    const result = await new AxeBuilder({ page }).include("#card").withTags(TAGS).analyze();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }

  for (const theme of ["light", "dark"]) {
    for (const layout of ["full", "compact"]) {
      await t.test(`no violations: ${theme}, ${layout}`, async () => {
        const page = await card({ theme, layout });
        assert.deepEqual(await violations(page), []);
        await page.close();
      });
    }
  }

  for (const [state, mode, email, expect] of [
    ["a mistyped address", "pending", "reader@example", "name@example.org"],
    ["the server's refusal", "invalid", "bounces@example.org", "cannot receive mail"],
    ["pending", "pending", "reader@example.org", "check your inbox"],
    ["rate limited", "ratelimit", "reader@example.org", "try again in a moment"],
    ["subscribed", "slow", "reader@example.org", "You're subscribed"],
    ["already subscribed", "already", "reader@example.org", "already subscribed"],
    ["a server error, retrying", "error", "reader@example.org", "Trying again"],
  ]) {
    for (const theme of ["light", "dark"]) {
      await t.test(`no violations with the form showing ${state} (${theme})`, async () => {
        const page = await card({ theme, "signup-endpoint": `/test-api/subscribe/${mode}` });
        await page.locator("#card [part=email]").fill(email);
        await page.locator("#card [part=submit]").click();
        await page.locator("#card [part=status]").filter({ hasText: expect }).waitFor();
        assert.deepEqual(await violations(page), []);
        await page.close();
      });
    }
  }

  await t.test("the photo and its credit are named for assistive technology", async () => {
    const page = await card();
    const photo = page.locator("#card").getByRole("img", { name: /^People flash a three-finger salute/ });
    assert.equal(await photo.count(), 1);
    const figure = page.locator("#card").getByRole("figure", { name: /Yangon, Myanmar, March 5, 2021\. Photo: STRINGER\/ REUTERS/ });
    assert.equal(await figure.count(), 1, "the figure is named by its caption and credit");
    assert.equal(await page.locator("#card").getByRole("heading", { level: 2 }).textContent(), "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown");
    assert.equal(await page.locator("#card").getByRole("textbox", { name: "Email address" }).count(), 1);
    await page.close();
  });

  await t.test("keyboard focus is visible; reduced motion turns transitions off", async () => {
    const page = await card();
    await page.locator("#card [part=link]").focus();
    await page.keyboard.press("Tab"); // to the email field, by keyboard: :focus-visible
    const outline = await page.evaluate(() => {
      const el = document.querySelector("#card").shadowRoot.activeElement;
      const cs = getComputedStyle(el);
      return { part: el.getAttribute("part"), style: cs.outlineStyle, width: cs.outlineWidth };
    });
    assert.deepEqual(outline, { part: "email", style: "solid", width: "2px" });
    const duration = () =>
      page.evaluate(() => getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=submit]")).transitionDuration);
    assert.notEqual(await duration(), "0s");
    await page.emulateMedia({ reducedMotion: "reduce" });
    assert.equal(await duration(), "0s");
    await page.close();
  });

  await t.test("three publishers' brandings through custom properties and ::part(), still accessible", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/brandings.html`);
    for (const id of ["broadsheet", "night", "local"]) await waitForState(page, `#${id}`, "ready");
    const look = (id) =>
      page.evaluate((id) => {
        const root = document.querySelector(`#${id}`).shadowRoot;
        const css = (sel, prop) => getComputedStyle(root.querySelector(sel)).getPropertyValue(prop);
        return {
          link: css("[part=link]", "color"),
          radius: css("[part=card]", "border-top-left-radius"),
          background: css("[part=card]", "background-color"),
          headline: css("[part=headline]", "font-size"),
          pill: css("[part=submit]", "border-top-left-radius"),
        };
      }, id);
    const broadsheet = await look("broadsheet");
    assert.deepEqual([broadsheet.link, broadsheet.radius, broadsheet.headline], ["rgb(155, 28, 28)", "0px", "34px"]);
    const night = await look("night");
    assert.deepEqual([night.link, night.background, night.radius, night.pill], ["rgb(94, 234, 212)", "rgb(11, 17, 32)", "20px", "999px"]);
    assert.equal((await look("local")).link, "rgb(22, 101, 52)");
    for (const id of ["broadsheet", "night", "local"]) {
      const result = await new AxeBuilder({ page }).include(`#${id}`).withTags(TAGS).analyze();
      assert.deepEqual(result.violations.map((v) => v.id), [], id);
    }
    await page.close();
  });
});
