// Print checks in Debian's Chromium: every edition's print page is printed to PDF as a browser
// would (CSS page size honoured), and the PDF is measured with poppler's pdfinfo and pdftotext.
//
//   easy-read: A4 portrait, at most 20 pages, no block split across pages, body text >= 16pt;
//   pocket:    A6 (or A5 if site.yaml says so), a title page, a contents page whose page numbers
//              match where each statement really starts, one statement per page;
//   commissioner and carer: A4.
//
// Usage: node print.js [output-folder]   (default ../../output). Exits non-zero on any failure
// and ends with "print: N passed, M failed".
"use strict";

const { chromium } = require("playwright-core");
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const output = path.resolve(process.argv[2] || path.join(__dirname, "..", "..", "output"));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const POINTS = { a4: [595.28, 841.89], a5: [419.53, 595.28], a6: [297.64, 419.53] };

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

function pdfInfo(file) {
  const info = execFileSync("pdfinfo", [file]).toString();
  const pages = Number((info.match(/Pages:\s+(\d+)/) || [])[1]);
  const size = (info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/) || []).slice(1).map(Number);
  return { pages, width: size[0], height: size[1] };
}

function pdfPages(file) {
  // pdftotext separates pages with form feeds; fold white space so wrapped lines still match.
  return execFileSync("pdftotext", [file, "-"]).toString().split("\f").map((p) => p.replace(/\s+/g, " ").trim());
}

function sizeIs(info, paper) {
  const [w, h] = POINTS[paper];
  return Math.abs(info.width - w) < 3 && Math.abs(info.height - h) < 3;
}

function pageOf(pages, needle) {
  const wanted = needle.replace(/\s+/g, " ").trim();
  return pages.findIndex((p) => p.includes(wanted));
}

async function main() {
  for (const tool of ["pdfinfo", "pdftotext"]) {
    try {
      execFileSync(tool, ["-v"], { stdio: "ignore" });
    } catch (error) {
      console.error(`${tool} is missing: install poppler-utils`);
      process.exit(2);
    }
  }
  if (!fs.existsSync(path.join(output, "easy-read", "print.html"))) {
    console.error(`no print pages in ${output}: build the site first`);
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "guidepress-print-"));
  try {
    const page = await browser.newPage();
    for (const edition of ["easy-read", "pocket", "commissioner", "carer"]) {
      const url = "file://" + path.join(output, edition, "print.html");
      await page.goto(url);
      await page.emulateMedia({ media: "print" });
      const paper = await page.evaluate(() => (document.body.className.match(/paper-(a\d)/) || [])[1]);
      const pdf = path.join(scratch, `${edition}.pdf`);
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
      const info = pdfInfo(pdf);
      const pages = pdfPages(pdf);
      console.log(`# ${edition}: ${info.pages} pages of ${info.width} x ${info.height} pt (${paper})`);

      if (edition === "easy-read") {
        check(sizeIs(info, "a4"), "easy read prints on A4 portrait");
        check(info.pages <= 20, `easy read fits in 20 A4 pages (${info.pages})`);
        const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".er-text p")).fontSize));
        check(fontPx >= (16 * 96) / 72 - 0.01, `easy-read body text is at least 16pt (${((fontPx * 72) / 96).toFixed(1)}pt)`);
        const family = await page.evaluate(() => getComputedStyle(document.querySelector(".er-text p")).fontFamily);
        check(/arial|helvetica|sans-serif/i.test(family), `easy read uses a plain sans-serif font (${family})`);
        const hyphens = await page.evaluate(() => getComputedStyle(document.querySelector(".er-text p")).hyphens);
        check(hyphens === "none" || hyphens === "manual", `easy read does not hyphenate (${hyphens})`);
        const layout = await page.evaluate(() => {
          const block = document.querySelector(".print-part .er-block");
          const picture = block.querySelector(".er-picture").getBoundingClientRect();
          const text = block.querySelector(".er-text").getBoundingClientRect();
          return { pictureLeft: picture.left, textLeft: text.left };
        });
        check(layout.pictureLeft < layout.textLeft, "pictures are on the left, words on the right");
        // Every block whole: its first and last words are on the same PDF page. Blocks are found
        // in order, so blocks that open with the same words are told apart.
        const blocks = await page.evaluate(() =>
          Array.from(document.querySelectorAll(".er-block .er-text")).map((t) => {
            const words = t.innerText.replace(/\s+/g, " ").trim().split(" ");
            return { first: words.slice(0, 8).join(" "), last: words.slice(-6).join(" ") };
          })
        );
        // Search the whole text in order, remembering where each page starts.
        const starts = [];
        let whole = "";
        for (const p of pages) {
          starts.push(whole.length);
          whole += p + "\n";
        }
        const pageAt = (offset) => starts.filter((start) => start <= offset).length - 1;
        const split = [];
        let cursor = 0;
        for (const b of blocks) {
          const at = whole.indexOf(b.first, cursor);
          if (at < 0) {
            split.push(b);
            continue;
          }
          const end = whole.indexOf(b.last, at);
          if (end < 0 || pageAt(end) !== pageAt(at)) {
            if (process.env.PRINT_DEBUG) {
              console.log("split", JSON.stringify(b), "starts on page", pageAt(at) + 1, "ends on page", pageAt(end) + 1);
            }
            split.push(b);
          }
          cursor = at + b.first.length;
        }
        check(blocks.length > 50 && split.length === 0, `no easy-read block is split across pages (${blocks.length} blocks, ${split.length} split: ${split.slice(0, 3).map((b) => b.first).join(" | ")})`);
        check(pages[pages.length - 2] !== undefined && pages.some((p) => p.startsWith("Hard words")), "a glossary of hard words ends the booklet");
        check(/\b2\b/.test(pages[1].slice(-5)) || pages[1].endsWith("2"), "pages are numbered");
      } else if (edition === "pocket") {
        const expected = paper || "a6";
        check(sizeIs(info, expected), `the pocket handbook prints on ${expected.toUpperCase()}`);
        const contents = await page.evaluate(() =>
          Array.from(document.querySelectorAll(".pocket-contents li")).map((li) => ({
            title: li.querySelector(".pocket-title").innerText.trim(),
            page: Number(li.querySelector(".pocket-page-number").innerText.replace(/\D/g, "")),
          }))
        );
        check(contents.length === info.pages - 2, `one page for the title, one for contents, one per statement (${contents.length} + 2 = ${info.pages})`);
        check(pages[1].startsWith("Contents"), "the contents page is page 2");
        const wrong = contents.filter((entry) => !pages[entry.page - 1] || !pages[entry.page - 1].includes(entry.title.replace(/\s+/g, " ")));
        check(contents.length > 0 && wrong.length === 0, `the contents gives each statement's real page number (${wrong.map((w) => w.title).join(", ")})`);
        check(pages[0].includes("The full statements"), "the title page points to the full edition");
      } else {
        check(sizeIs(info, "a4"), `the ${edition} edition prints on A4`);
        const hidden = await page.evaluate(() => {
          const header = document.querySelector(".site-header, nav.site-nav");
          return header === null || getComputedStyle(header).display === "none";
        });
        check(hidden, `the ${edition} print page has no navigation`);
        const urls = await page.evaluate(() => {
          const link = document.querySelector('main a[href^="http"]');
          return link ? getComputedStyle(link, "::after").content : "";
        });
        check(urls.includes("attr(href)") || urls.includes("http"), `the ${edition} print shows link addresses after the link text`);
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`print: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
