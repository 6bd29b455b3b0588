#!/usr/bin/env node
// The browser suite: opens every page of the built site in Debian's Chromium and checks it.
//
//   node suite.js [--output DIR] [--jobs N] [--only TEXT] [--lang en-GB] [--chromium PATH] [--verbose]
//
// For each .html page under the output folder it checks, in one shared headless Chromium:
//   axe 1280       axe-core, WCAG 2.0/2.1/2.2 A and AA rules, at 1280 CSS px wide
//   axe 320        the same at 320 CSS px wide
//   reflow 320     no horizontal scrolling and no clipped text at 320 CSS px (WCAG 1.4.10)
//   text spacing   with the WCAG 1.4.12 overrides at 320 CSS px: no clipped text, no sideways scroll
//   structure      lang, landmarks, one h1 first, no skipped heading levels, skip link first
//   link text      no vague link text, and the same link text never leads to two places
//   focus          every focusable element looks different when focused; the skip link shows
//   target size    links and controls at least 24 by 24 CSS px, except links inside a sentence
//   font size      text grows with the user's default font size (no fixed px font sizes)
//   resources      the page loads with 200, every stylesheet and picture loads, no script errors
// A search page is checked a second time with results showing (search.html?q=care).
// Before that it runs the same checks on fixtures/canary.html, which has one planted defect per
// check, and fails if any check misses its defect, so a check that silently stops working fails.
//
// The site is served by a small static server on 127.0.0.1 that this script starts and stops.
// Requests to anywhere else are blocked. Nothing is downloaded: Chromium must already be installed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { serve } = require('./server');
const checks = require('./checks');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// What each check must report on fixtures/canary.html: one pattern per planted defect.
const CANARY = {
  resources: [/HTTP 404 for \/missing\.css/],
  'axe 1280': [/^image-alt$/, /^color-contrast$/],
  structure: [/html lang is "fr"/, /2 h1 headings/, /heading level skipped: h1 then h3/, /the first is not a skip link/, /text outside any landmark: "Home"/],
  'link text': [/"Click here" does not say where it goes/, /"the details" leads to 2 different places/],
  focus: [/a\.no-focus .* looks the same when focused/],
  'target size': [/a\.tiny .* less than 24 by 24/],
  'font size': [/p\.fixed .* 15px became 15px/],
  'axe 320': [/^image-alt$/, /^color-contrast$/],
  'reflow 320': [/div\.wide/],
  'text spacing': [/p\.tight: .* cut off/],
  'labels fit': [/p\.spill: .* runs out of its box/],
};

// The longest one page's checks may take before the page counts as failed.
const PAGE_TIMEOUT = 120000;

const CHECKS = ['resources', 'axe 1280', 'structure', 'link text', 'focus', 'target size', 'font size', 'axe 320', 'reflow 320', 'text spacing', 'labels fit'];

function parseArgs(argv) {
  const options = {
    output: path.resolve(__dirname, '..', '..', 'output'),
    jobs: 3,
    only: null,
    lang: 'en-GB',
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    verbose: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      i += 1;
      if (i >= argv.length) usage(`${arg} needs a value`);
      return argv[i];
    };
    if (arg === '--output') options.output = path.resolve(value());
    else if (arg === '--jobs') options.jobs = Number(value());
    else if (arg === '--only') options.only = value();
    else if (arg === '--lang') options.lang = value();
    else if (arg === '--chromium') options.chromium = value();
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--help' || arg === '-h') usage(null);
    else usage(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.jobs) || options.jobs < 1) usage('--jobs must be a whole number of at least 1');
  return options;
}

function usage(problem) {
  const text = 'usage: node suite.js [--output DIR] [--jobs N] [--only TEXT] [--lang en-GB] [--chromium PATH] [--verbose]';
  if (problem) {
    console.error(`browser: ${problem}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

function fatal(message) {
  console.error(`browser: ERROR: ${message}`);
  console.error('browser: 0 passed, 1 failed');
  process.exit(1);
}

/** Every file under `root` whose name ends with `suffix`, relative to it with / separators, sorted. */
function walkFiles(root, suffix) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(suffix)) found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return found.sort();
}

/**
 * A stylesheet whose braces do not balance loses rules without any error: the browser drops
 * what follows a stray brace. Returns the problems found in the CSS text.
 */
function unbalancedBraces(css) {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  let depth = 0;
  let line = 1;
  for (const c of text) {
    if (c === '\n') line += 1;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth < 0) return [`a } with no { before it, near line ${line} (comments removed)`];
    }
  }
  return depth === 0 ? [] : [`${depth} { not closed by the end of the file`];
}

/** Runs `task(item, index, worker)` over `items` with at most `jobs` at a time, keeping the results in order. */
async function pool(items, jobs, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async (_, w) => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await task(items[i], i, w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

const DESKTOP = { width: 1280, height: 900 };
// 320 CSS pixels wide: the width of a 1280px window zoomed to 400% (WCAG 1.4.10).
const NARROW = { width: 320, height: 640 };

/**
 * A browser tab that a worker reuses for page after page, with a record of what went wrong
 * while the current page loaded.
 */
async function newTab(context) {
  const page = await context.newPage();
  const tab = { page, problems: [], origin: null, cdp: await context.newCDPSession(page) };
  const local = (url) => (tab.origin && url.startsWith(tab.origin) ? url.slice(tab.origin.length - 1) : url);
  page.on('pageerror', (error) => tab.problems.push(`script error: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith(AXE_URL)) tab.problems.push(`request failed: ${local(request.url())} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) tab.problems.push(`HTTP ${response.status()} for ${local(response.url())}`);
  });
  return tab;
}

// axe-core is given to pages from this address (answered by the context's route, never fetched),
// so that Chromium can cache its compiled code between pages.
const AXE_URL = 'http://axe-core.invalid/axe.min.js';

async function injectAxe(page) {
  await page.addScriptTag({ url: AXE_URL });
  const ok = await page.evaluate(() => typeof window.axe?.run === 'function');
  if (!ok) throw new Error('axe-core did not load into the page');
}

function axeProblems(result) {
  const problems = [];
  for (const rule of result.violations) {
    for (const node of rule.nodes) problems.push({ rule: rule.id, target: node.target, detail: `${rule.help}. ${node.summary}` });
  }
  return problems;
}

/** Runs every check on one page in `tab`. Returns { check name: [problem, ...] } and axe's open questions. */
async function checkPage(tab, url, origin, lang) {
  const result = Object.fromEntries(CHECKS.map((name) => [name, []]));
  const incomplete = [];
  const { page, cdp } = tab;
  tab.problems = [];
  tab.origin = origin;

  // Desktop width.
  await page.setViewportSize(DESKTOP);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
  const response = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  if (!response) tab.problems.push('no response');
  else if (response.status() !== 200) tab.problems.push(`the page answered HTTP ${response.status()}`);
  await injectAxe(page);
  const axe = await page.evaluate(checks.runAxe, checks.AXE_TAGS);
  if (axe.rules < 20) result['axe 1280'].push(`axe ran only ${axe.rules} rules; the tags are wrong`);
  result['axe 1280'].push(...axeProblems(axe));
  incomplete.push(...axe.incomplete);
  result.structure.push(...(await page.evaluate(checks.structure, lang)));
  result['link text'].push(...(await page.evaluate(checks.linkText)));
  for (const problem of await page.evaluate(checks.spilledLabels)) result['labels fit'].push(`at 1280px: ${problem}`);
  for (const problem of await page.evaluate(checks.smallTargets)) result['target size'].push(`at 1280px: ${problem}`);
  // One real Tab press puts Chromium in keyboard mode, as for a keyboard user.
  await page.keyboard.press('Tab');
  result.focus.push(...(await page.evaluate(checks.focusVisible)));
  // The user's default font size: from 16px to 24px, all text must grow by half.
  const before = await page.evaluate(checks.fontSizes);
  if (before.length === 0) result['font size'].push('the page has no text');
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 24, fixed: 20 } });
  result['font size'].push(...(await page.evaluate(checks.fontSizesNotScaled, { before, factor: 1.5 })));
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });

  // 320 CSS pixels wide, the same document resized.
  await page.setViewportSize(NARROW);
  const narrow = await page.evaluate(checks.runAxe, checks.AXE_TAGS);
  result['axe 320'].push(...axeProblems(narrow));
  incomplete.push(...narrow.incomplete);
  for (const problem of await page.evaluate(checks.smallTargets)) result['target size'].push(`at 320px: ${problem}`);
  const scroll = await page.evaluate(checks.horizontalScroll);
  if (scroll) result['reflow 320'].push(`scrolls sideways: scrollWidth ${scroll.scrollWidth}px > clientWidth ${scroll.clientWidth}px; sticking out: ${scroll.culprits.join('; ') || 'nothing found'}`);
  for (const problem of await page.evaluate(checks.clippedText)) result['reflow 320'].push(`text cut off: ${problem}`);
  for (const problem of await page.evaluate(checks.spilledLabels)) result['labels fit'].push(`at 320px: ${problem}`);
  await page.addStyleTag({ content: checks.TEXT_SPACING_CSS });
  const applied = await page.evaluate(() => getComputedStyle(document.body).letterSpacing);
  if (!applied || applied === 'normal' || applied === '0px') result['text spacing'].push(`the text-spacing overrides did not apply (letter-spacing is ${applied})`);
  result['text spacing'].push(...(await page.evaluate(checks.clippedText)));
  for (const problem of await page.evaluate(checks.spilledLabels)) result['labels fit'].push(`at 320px with text spacing: ${problem}`);
  const spaced = await page.evaluate(checks.horizontalScroll);
  if (spaced) result['text spacing'].push(`scrolls sideways with text spacing: scrollWidth ${spaced.scrollWidth}px > clientWidth ${spaced.clientWidth}px; sticking out: ${spaced.culprits.join('; ') || 'nothing found'}`);

  result.resources.push(...tab.problems);
  return { result, incomplete };
}

function formatProblem(check, page, problem) {
  if (typeof problem === 'string') return `FAIL ${check}  ${page}  ${problem}`;
  return `FAIL ${check}  ${page}  ${problem.rule}  ${problem.target}  (${problem.detail})`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();

  if (!fs.existsSync(path.join(options.output, 'index.html'))) {
    fatal(`no built site at ${options.output} (no index.html). Build it first: cargo run --release -- build`);
  }
  if (!fs.existsSync(options.chromium)) {
    fatal(`Chromium is not installed at ${options.chromium}. Install Debian's package (apt-get install -y chromium) or pass --chromium PATH. This suite never downloads a browser.`);
  }
  let pages = walkFiles(options.output, '.html');
  if (options.only) {
    pages = pages.filter((p) => p.includes(options.only));
    console.log(`browser: --only ${JSON.stringify(options.only)}: checking ${pages.length} of the site's pages`);
  }
  if (pages.length === 0) fatal(`no .html pages to check under ${options.output}`);
  // A search page is checked twice: as it opens, and showing results for a common word.
  pages = pages.flatMap((p) => (p.endsWith('search.html') ? [p, `${p}?q=care`] : [p]));

  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (error) {
    fatal(`playwright-core is not installed (${error.message}). Run npm ci in tests/browser.`);
  }
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const axeVersion = require('axe-core/package.json').version;
  const playwrightVersion = require('playwright-core/package.json').version;

  const site = await serve(options.output);
  const fixtures = await serve(path.join(__dirname, 'fixtures'));
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    try {
      browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
    } catch (error) {
      fatal(`Chromium at ${options.chromium} did not start: ${error.message.split('\n')[0]}`);
    }
    console.log(`browser: Chromium ${browser.version()} (${options.chromium}), playwright-core ${playwrightVersion}, axe-core ${axeVersion}, tags ${checks.AXE_TAGS.join(',')}`);
    console.log(`browser: serving ${options.output} at ${site.url}; ${pages.length} pages, ${options.jobs} at a time`);

    const blocked = new Set();
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, serviceWorkers: 'block' });
    // Only the loopback servers: nothing on a page may reach the network.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === AXE_URL) return route.fulfill({ body: axeSource, contentType: 'text/javascript; charset=utf-8', headers: { 'Cache-Control': 'max-age=3600' } });
      if (url.startsWith(site.url) || url.startsWith(fixtures.url) || url.startsWith('data:')) return route.continue();
      blocked.add(url);
      return route.abort('blockedbyclient');
    });

    // The canary: every check must catch its planted defect.
    {
      const tab = await newTab(context);
      const canary = await checkPage(tab, `${fixtures.url}canary.html`, fixtures.url, options.lang);
      await tab.page.close();
      if (options.verbose) {
        for (const name of CHECKS) for (const problem of canary.result[name]) console.log(`canary: ${formatProblem(name, 'fixtures/canary.html', problem)}`);
      }
      let missed = 0;
      for (const name of CHECKS) {
        const found = canary.result[name].map((p) => (typeof p === 'string' ? p : p.rule));
        for (const pattern of CANARY[name]) {
          if (!found.some((text) => pattern.test(text))) {
            console.log(`FAIL canary  fixtures/canary.html  the "${name}" check did not catch its planted defect ${pattern}`);
            missed += 1;
          }
        }
      }
      const planted = Object.values(CANARY).reduce((n, list) => n + list.length, 0);
      if (missed) failed += missed;
      else console.log(`browser: canary: all ${CHECKS.length} checks caught all ${planted} planted defects`);
    }

    // Stylesheets: a syntax slip silently drops rules, so check their braces first.
    const stylesheets = walkFiles(options.output, '.css');
    for (const sheet of stylesheets) {
      const problems = unbalancedBraces(fs.readFileSync(path.join(options.output, sheet), 'utf8'));
      if (problems.length) {
        failed += 1;
        for (const problem of problems) console.log(`FAIL stylesheet  ${sheet}  ${problem}`);
      } else {
        passed += 1;
      }
    }

    const incompleteByRule = new Map();
    const tabs = [];
    const results = await pool(pages, options.jobs, async (page, i, worker) => {
      try {
        if (!tabs[worker]) tabs[worker] = await newTab(context);
        const [file, query] = page.split('?');
        const url = site.url + file.split('/').map(encodeURIComponent).join('/') + (query ? `?${query}` : '');
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the checks did not finish within ${PAGE_TIMEOUT / 1000}s`)), PAGE_TIMEOUT);
        });
        try {
          return await Promise.race([checkPage(tabs[worker], url, site.url, options.lang), timeout]);
        } finally {
          clearTimeout(timer);
        }
      } catch (error) {
        // Start the next page in a fresh tab.
        await tabs[worker]?.page.close().catch(() => {});
        tabs[worker] = null;
        return { error: error.message.split('\n')[0] };
      }
    });
    const failingPages = new Set();
    results.forEach((outcome, i) => {
      const page = pages[i];
      if (outcome.error) {
        console.log(`FAIL load  ${page}  ${outcome.error}`);
        failed += CHECKS.length;
        failingPages.add(page);
        return;
      }
      for (const name of CHECKS) {
        const problems = outcome.result[name];
        if (problems.length === 0) {
          passed += 1;
        } else {
          failed += 1;
          failingPages.add(page);
          for (const problem of problems) console.log(formatProblem(name, page, problem));
        }
      }
      for (const rule of outcome.incomplete) {
        const entry = incompleteByRule.get(rule.id) || { help: rule.help, nodes: 0, pages: new Set() };
        entry.nodes += rule.nodes.length;
        entry.pages.add(page);
        incompleteByRule.set(rule.id, entry);
      }
    });
    for (const [id, entry] of incompleteByRule) {
      const some = [...entry.pages].slice(0, 6).join(', ') + (entry.pages.size > 6 ? ', ...' : '');
      console.log(`note: axe could not decide ${id} (${entry.help}) for ${entry.nodes} elements on ${entry.pages.size} pages (${some}); check them by eye`);
    }
    if (blocked.size) console.log(`note: blocked ${blocked.size} requests to outside the loopback server, e.g. ${[...blocked][0]}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`browser: ${pages.length} pages, ${CHECKS.length} checks each (${CHECKS.join(', ')}), and ${stylesheets.length} stylesheets; ${failingPages.size} pages with problems; ${seconds}s`);
  } finally {
    if (browser) await browser.close();
    await site.close();
    await fixtures.close();
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`browser: ERROR: ${error.stack || error}`);
  console.error('browser: 0 passed, 1 failed');
  process.exit(1);
});
