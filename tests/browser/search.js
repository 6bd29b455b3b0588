// Search checks in Debian's Chromium: in every edition, each statement is found by a word taken
// from its own page, and results never leave the edition. Pages are opened from disk (file://),
// the harder case for a static site, since nothing can be fetched.
//
// Usage: node search.js [output-folder]. Ends with "search: N passed, M failed".
"use strict";

const { run } = require("./tally");
const fs = require("fs");
const path = require("path");

const output = path.resolve(process.argv[2] || path.join(__dirname, "..", "..", "output"));
const EDITIONS = ["commissioner", "carer", "easy-read", "pocket"];


run("search", async (browser, check) => {
  const page = await browser.newPage();
  for (const edition of EDITIONS) {
    const statements = fs.readdirSync(path.join(output, edition, "statements")).filter((f) => f.endsWith(".html")).sort();
    let found = 0;
    for (const file of statements) {
      // The word: the longest word of the statement page's own text (after its title), which is
      // what a reader remembering the page would type.
      await page.goto("file://" + path.join(output, edition, "statements", file));
      const word = await page.evaluate(() => {
        const main = document.querySelector("main");
        const title = main.querySelector("h1").innerText;
        const words = main.innerText.replace(title, " ").toLowerCase().match(/[a-z]{6,}/g) || [];
        return words.sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
      });
      await page.goto("file://" + path.join(output, edition, "search.html") + "?q=" + encodeURIComponent(word));
      const hits = await page.evaluate(() => Array.from(document.querySelectorAll(".search-list a")).map((a) => a.href));
      const hit = hits.some((href) => href.endsWith("/" + edition + "/statements/" + file));
      check(hit, `${edition}: searching for "${word}" finds statements/${file} (got ${hits.length} results)`);
      check(hits.every((href) => href.includes("/" + edition + "/")), `${edition}: every result for "${word}" is in the same edition`);
      if (hit) {
        found += 1;
      }
    }
    console.log(`${edition}: ${found} of ${statements.length} statements found by a word from their own page`);
    await page.goto("file://" + path.join(output, edition, "search.html") + "?q=zzzzqqqq");
    const none = await page.evaluate(() => document.querySelector(".search-summary") && document.querySelector(".search-summary").innerText);
    check(/No pages/.test(none || ""), `${edition}: a word that is nowhere says so (${none})`);
  }
  // A result shows the passage that matches, with the words marked, not the page's opening;
  // and a word with one letter wrong finds the word it was meant to be.
  for (const [edition, query, expected] of [["carer", "medicine", "medicine"], ["carer", "medecine", "medicine"], ["commissioner", "helth", "health"]]) {
    await page.goto("file://" + path.join(output, edition, "search.html") + "?q=" + encodeURIComponent(query));
    const result = await page.evaluate(() => {
      const items = Array.from(document.querySelectorAll(".search-list li"));
      return {
        count: items.length,
        marks: items.flatMap((li) => Array.from(li.querySelectorAll("mark")).map((m) => m.textContent.toLowerCase())),
        summary: (document.querySelector(".search-summary") || {}).innerText || "",
      };
    });
    check(result.count > 0, `${edition}: "${query}" finds pages (${result.summary})`);
    // A one-word query reads one shard of words and the runs of documents its results are in.
    const loaded = await page.evaluate(() => Array.from(document.querySelectorAll("script[src]")).map((s) => s.src).filter((src) => src.includes("/search/")));
    const shards = loaded.filter((src) => /\/search\/t-[0-9a-f]+\.js$/.test(src));
    check(shards.length === 1 && loaded.length - shards.length >= 1, `${edition}: "${query}" loads 1 shard and the documents it shows (${loaded.map((src) => src.split("/search/")[1]).join(", ")})`);
    check(result.marks.length > 0 && result.marks.every((m) => m.startsWith(expected)), `${edition}: "${query}" marks "${expected}" in its passages (marked: ${result.marks.slice(0, 5).join(", ")})`);
  }
  await page.goto("file://" + path.join(output, "easy-read", "search.html") + "?q=" + encodeURIComponent("social worker"));
  const snippet = await page.evaluate(() => Array.from(document.querySelectorAll(".search-list li p")).map((p) => p.innerText));
  check(snippet.length > 0 && snippet.every((p) => !/ [,.]/.test(p)), `easy-read: passages have no stray spaces before punctuation (${snippet[0]})`);
  check(snippet.every((p) => !/: Your social worker works for the council/.test(p)), `easy-read: passages are the page's own words, not its word explanations`);
});
