// "Listen to this page" in Debian's Chromium, on an easy-read page opened from disk.
//
// Headless Chromium in CI has no audio device and, without speech-dispatcher, no voice: so the
// reading test gives the page a stand-in speech engine (installed before the page's scripts run)
// that has one voice and fires the word-boundary events a real engine fires, word by word, at
// the characters it is given. The test clicks the control and checks that the marked word moves
// through the page's words in order, and that Stop clears the mark. Two more cases use the
// browser as it is: with no voice at all the control must say so, never sit there silently.
//
// Usage: node listen.js [output-folder]. Ends with "listen: N passed, M failed".
"use strict";

const { run } = require("./tally");
const path = require("path");

const output = path.resolve(process.argv[2] || path.join(__dirname, "..", "..", "output"));
const PAGE = "file://" + path.join(output, "easy-read", "statements", "qs-7.html");


// The stand-in engine: speaks nothing, but tells the page about each word as a real one does.
function standIn(voices) {
  const engine = {
    speaking: false,
    queue: [],
    timer: null,
    getVoices: () => voices,
    addEventListener: () => {},
    cancel() {
      clearTimeout(this.timer);
      this.queue = [];
      this.speaking = false;
    },
    speak(utterance) {
      this.queue.push(utterance);
      if (!this.speaking) this.next();
    },
    next() {
      const utterance = this.queue.shift();
      if (!utterance) {
        this.speaking = false;
        return;
      }
      this.speaking = true;
      const starts = [];
      utterance.text.replace(/\S+/g, (word, at) => starts.push(at));
      let i = 0;
      const tick = () => {
        if (i < starts.length) {
          if (utterance.onboundary) utterance.onboundary({ name: "word", charIndex: starts[i] });
          i += 1;
          this.timer = setTimeout(tick, 40);
        } else {
          if (utterance.onend) utterance.onend({});
          this.next();
        }
      };
      this.timer = setTimeout(tick, 10);
    },
  };
  Object.defineProperty(window, "speechSynthesis", { value: engine, configurable: true });
}

run("listen", async (browser, check) => {
  // 1. Reading, with the stand-in engine and one English voice.
  const context = await browser.newContext();
  await context.addInitScript(standIn, [{ name: "Stand-in English", lang: "en-GB", default: true }]);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(PAGE);
  const button = page.locator(".listen-button");
  check(await button.isVisible(), "the control is visible");
  check((await button.innerText()).trim() === "Listen to this part", `the control says what it does (${await button.innerText()})`);
  await button.click();
  const seen = [];
  for (let i = 0; i < 40; i++) {
    const word = await page.evaluate(() => {
      const now = document.querySelector(".listen-now");
      if (!now) return null;
      const all = Array.from(document.querySelectorAll(".listen-word"));
      return { index: all.indexOf(now), text: now.textContent };
    });
    if (word && (seen.length === 0 || seen[seen.length - 1].index !== word.index)) seen.push(word);
    await page.waitForTimeout(25);
  }
  const indexes = seen.map((w) => w.index);
  check(seen.length >= 8, `the marked word moves as the engine reads (${seen.length} words seen: ${seen.slice(0, 6).map((w) => w.text).join(" ")} …)`);
  check(indexes.every((n, i) => i === 0 || n > indexes[i - 1]), `the words are marked in reading order (${indexes.slice(0, 12).join(", ")})`);
  check(seen.length > 0 && seen[0].text === "Keeping", `reading starts at the title (${seen.length > 0 ? seen[0].text : "nothing"})`);
  check((await button.innerText()).trim() === "Stop", "while reading, the control offers to stop");
  await button.click();
  check(await page.evaluate(() => document.querySelector(".listen-now") === null), "Stop clears the mark");
  check((await button.innerText()).trim() === "Listen to this part", "after Stop, the control can start again");
  check(errors.length === 0, `no script errors (${errors.join("; ")})`);
  await context.close();

  // 2. A browser with speech but no voice: the control says so.
  const silent = await browser.newContext();
  await silent.addInitScript(standIn, []);
  const quiet = await silent.newPage();
  await quiet.goto(PAGE);
  await quiet.waitForTimeout(1700);
  const status = await quiet.locator(".listen-status").innerText();
  check(/no voice/.test(status), `with no voice the control says so (${status})`);
  check(!(await quiet.locator(".listen-button").isVisible()), "with no voice there is no button that does nothing");
  await silent.close();

  // 3. The browser as it is, with no stand-in: it reads, or says why it cannot.
  const plain = await browser.newPage();
  await plain.goto(PAGE);
  await plain.waitForTimeout(1700);
  const state = await plain.evaluate(() => ({
    voices: window.speechSynthesis ? window.speechSynthesis.getVoices().length : -1,
    hidden: document.querySelector(".listen-button").hidden,
    status: document.querySelector(".listen-status").textContent,
  }));
  console.log(`listen: this Chromium has ${state.voices < 0 ? "no speech" : state.voices + " voices"}`);
  check(state.voices > 0 ? !state.hidden : state.hidden && state.status.length > 0, `the control matches the browser's voices (${JSON.stringify(state)})`);
});
