// What the small browser scripts (search.js, listen.js) share: Debian's Chromium, launched
// offline, and a tally of checks that ends the run with "NAME: N passed, M failed".
"use strict";

const { chromium } = require("playwright-core");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Runs `body(browser, check)` in one Chromium, then prints the tally and exits with it. */
function run(name, body) {
  let passed = 0;
  let failed = 0;
  const check = (ok, what) => {
    if (ok) {
      passed += 1;
    } else {
      failed += 1;
      console.log(`FAIL ${what}`);
    }
  };
  (async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      await body(browser, check);
    } finally {
      await browser.close();
    }
    console.log(`${name}: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { run };
