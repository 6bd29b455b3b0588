// Script injection checks in Debian's Chromium, with the hostile inputs of fixtures/hostile/
// (the Rust test tests/testsuite/hostile.rs uses the same files):
//
//   1. canary: each hostile picture opened on its own (file://) and each raw HTML payload in a bare
//      page must run its script (an alert naming it), so the inputs are known to be live;
//   2. guidepress refuses every hostile picture: a build with them fails and names each file with
//      its line;
//   3. a build of the sample with `allow_raw_html: true` and every payload in a statement body
//      succeeds, and no page or picture of it runs script from the content: no alert while each
//      page loads or while every link, button and summary of the hostile text is clicked, and no
//      address in it that runs code.
//
// Usage: node hostile.js path/to/guidepress. Exits non-zero on any failure and ends with
// "hostile: N passed, M failed".
"use strict";

const { chromium } = require("playwright-core");
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const binary = path.resolve(process.argv[2] || path.join(__dirname, "..", "..", "target", "release", "guidepress"));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const repo = path.join(__dirname, "..", "..");
const hostile = path.join(__dirname, "fixtures", "hostile");
const pictures = fs.readdirSync(path.join(hostile, "pictures")).filter((n) => n.endsWith(".svg")).sort();
// Payloads are separated by blank lines; each calls alert('<its name>').
const payloads = fs.readFileSync(path.join(hostile, "raw-html.md"), "utf8").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
// The text the payloads leave on the page, to find the pages that hold them.
const MARKER = "a plain javascript link";

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL ${what}`);
  }
}

function walk(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else files.push(full);
  }
  return files;
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/// Opens `url` (or sets `html`) in a fresh page, clicks what could run a link, and returns every
/// alert's message. Navigations to other documents are stopped, so a click cannot leave the page;
/// `javascript:` addresses are not requests, so they still run if anything lets them through.
async function alertsOf(browser, { url, html, clickAll }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const alerts = [];
  page.on("dialog", async (dialog) => {
    alerts.push(dialog.message());
    await dialog.dismiss().catch(() => {});
  });
  await page.route("**/*", (route) => {
    const request = route.request();
    const first = page.url() === "about:blank" || request.url() === url;
    if (request.isNavigationRequest() && request.frame() === page.mainFrame() && !first) return route.abort();
    return route.continue();
  });
  try {
    if (html !== undefined) await page.setContent(html, { waitUntil: "load" });
    else await page.goto(url, { waitUntil: "load" });
    await page.waitForTimeout(300);
    const selector = clickAll ? "a, button, summary, input[type=submit]" : null;
    if (selector) {
      const targets = await page.$$(selector);
      for (const target of targets) {
        await target.click({ timeout: 1000, force: true, noWaitAfter: true }).catch(() => {});
        await page.waitForTimeout(50);
      }
      await page.waitForTimeout(300);
    }
  } catch (error) {
    alerts.push(`(the page failed: ${error.message.split("\n")[0]})`);
  }
  await context.close();
  return alerts;
}

/// Addresses in a page that would run code: links, frames, forms, objects and the like.
async function executableAddresses(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("dialog", (dialog) => dialog.dismiss().catch(() => {}));
  await page.goto(url, { waitUntil: "load" });
  const found = await page.evaluate(() => {
    const bad = [];
    const attributes = ["href", "src", "action", "formaction", "data", "xlink:href"];
    for (const element of document.querySelectorAll("*")) {
      for (const name of attributes) {
        const value = element.getAttribute(name) || (name === "xlink:href" ? element.getAttributeNS("http://www.w3.org/1999/xlink", "href") : null);
        if (value === null) continue;
        let protocol = "";
        try {
          protocol = new URL(value, document.baseURI).protocol;
        } catch (error) {
          continue;
        }
        if (["javascript:", "vbscript:", "data:"].includes(protocol)) bad.push(`${element.localName} ${name}=${value}`);
      }
      for (const attribute of element.attributes) {
        if (attribute.name.toLowerCase().startsWith("on")) bad.push(`${element.localName} ${attribute.name}`);
      }
    }
    return bad;
  });
  await context.close();
  return found;
}

function build(content, output) {
  return spawnSync(binary, ["build", "--content", content, "--theme", path.join(repo, "themes", "default"), "--output", output], { encoding: "utf8" });
}

async function main() {
  if (!fs.existsSync(binary)) {
    console.error(`no guidepress binary at ${binary}: build it first`);
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "guidepress-hostile-"));
  try {
    // 1. The canary: every input runs its script when nothing stands in its way.
    for (const name of pictures) {
      const alerts = await alertsOf(browser, { url: "file://" + path.join(hostile, "pictures", name), clickAll: true });
      const wanted = "pwned-" + name.replace(/\.svg$/, "");
      check(alerts.includes(wanted), `canary: pictures/${name} runs its script when opened on its own (alerts: ${JSON.stringify(alerts)})`);
    }
    for (const payload of payloads) {
      const wanted = (payload.match(/alert\('([^']+)'\)/) || [])[1];
      const alerts = await alertsOf(browser, { html: `<!DOCTYPE html><html><head><title>x</title></head><body>${payload}</body></html>`, clickAll: true });
      check(wanted !== undefined && alerts.includes(wanted), `canary: raw HTML ${wanted} runs in a bare page (alerts: ${JSON.stringify(alerts)})`);
    }

    // 2. guidepress refuses each hostile picture, naming its file and line.
    const pictureContent = path.join(scratch, "pictures-content");
    copyDir(path.join(repo, "content"), pictureContent);
    copyDir(path.join(hostile, "pictures"), path.join(pictureContent, "pictures"));
    const first = path.join(pictureContent, "statements", fs.readdirSync(path.join(pictureContent, "statements")).sort()[0]);
    const blocks = pictures.map((name) => `  - picture: ${name.replace(/\.svg$/, "")}\n    alt: A picture\n    text: This is a picture.\n`).join("");
    fs.writeFileSync(first, fs.readFileSync(first, "utf8").replace(/^easy_read:\n/m, `easy_read:\n${blocks}`));
    const pictureOutput = path.join(scratch, "pictures-output");
    const refused = build(pictureContent, pictureOutput);
    check(refused.status === 1, `a build with the hostile pictures fails (exit ${refused.status})`);
    check(!fs.existsSync(pictureOutput), "and writes nothing");
    for (const name of pictures) {
      const line = new RegExp(`pictures/${name.replace(".", "\\.")}:\\d+:\\d+`);
      check(line.test(refused.stderr), `guidepress refuses pictures/${name} with its line`);
    }

    // 3. The sample with raw HTML allowed and every payload in a statement body.
    const rawContent = path.join(scratch, "raw-content");
    copyDir(path.join(repo, "content"), rawContent);
    fs.appendFileSync(path.join(rawContent, "site.yaml"), "allow_raw_html: true\n");
    const body = path.join(rawContent, "statements", fs.readdirSync(path.join(rawContent, "statements")).sort()[0]);
    fs.appendFileSync(body, "\n" + payloads.join("\n\n") + "\n");
    const rawOutput = path.join(scratch, "raw-output");
    const built = build(rawContent, rawOutput);
    check(built.status === 0, `the sample with hostile raw HTML builds (exit ${built.status})${built.status === 0 ? "" : "\n" + built.stderr}`);
    const warned = (built.stderr.match(/could run code in a reader's browser, so it was removed/g) || []).length;
    check(warned >= 5, `and warns about each refused target with its file and line (${warned} warnings)`);
    check(/statements\/qs-01[^:]*\.md:\d+:\d+/.test(built.stderr), "the warnings name the statement file and line");
    const files = fs.existsSync(rawOutput) ? walk(rawOutput) : [];
    const pages = files.filter((f) => f.endsWith(".html"));
    const svgs = files.filter((f) => f.endsWith(".svg"));
    let holding = 0;
    let quiet = 0;
    const noisy = [];
    for (const file of pages) {
      const holds = fs.readFileSync(file, "utf8").includes(MARKER);
      if (holds) holding += 1;
      const url = "file://" + file;
      const alerts = await alertsOf(browser, { url, clickAll: holds });
      const addresses = await executableAddresses(browser, url);
      if (alerts.length === 0 && addresses.length === 0) quiet += 1;
      else noisy.push(`${path.relative(rawOutput, file)}: alerts ${JSON.stringify(alerts)}, addresses ${JSON.stringify(addresses)}`);
    }
    check(holding >= 2, `${holding} published pages hold the hostile text`);
    check(noisy.length === 0 && pages.length > 0, `no script from the content runs in any of ${pages.length} pages (${quiet} quiet)${noisy.length ? "\n  " + noisy.join("\n  ") : ""}`);
    const noisyPictures = [];
    for (const file of svgs) {
      const alerts = await alertsOf(browser, { url: "file://" + file, clickAll: true });
      if (alerts.length) noisyPictures.push(`${path.relative(rawOutput, file)}: ${JSON.stringify(alerts)}`);
    }
    check(noisyPictures.length === 0 && svgs.length > 0, `no published picture runs script (${svgs.length} opened on their own)${noisyPictures.length ? "\n  " + noisyPictures.join("\n  ") : ""}`);
  } finally {
    await browser.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`hostile: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
