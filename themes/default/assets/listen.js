/* guidepress "Listen to this page": reads an easy-read page aloud with the browser's own speech
   (speechSynthesis), with nothing sent anywhere and nothing downloaded, and marks each word as
   it is read. The words come from the page's `[data-listen]` blocks, in order. Where the
   browser has no speech, or no voice, the control says so instead of doing nothing. */
(function () {
  "use strict";
  var control = document.querySelector(".listen");
  if (!control) { return; }
  var button = control.querySelector(".listen-button");
  var status = control.querySelector(".listen-status");
  var speech = window.speechSynthesis;
  control.hidden = false;

  function say(message) { status.textContent = message; }

  // Without speech the button is not shown at all (a button that does nothing would only
  // confuse): the line says why instead.
  if (!speech || typeof window.SpeechSynthesisUtterance !== "function") {
    button.hidden = true;
    say(control.getAttribute("data-no-speech"));
    return;
  }

  var language = (document.documentElement.lang || "en").toLowerCase();
  function voice() {
    var voices = speech.getVoices() || [];
    var same = function (v) { return (v.lang || "").toLowerCase().replace("_", "-"); };
    return voices.filter(function (v) { return same(v) === language; })[0] ||
      voices.filter(function (v) { return same(v).split("-")[0] === language.split("-")[0]; })[0] ||
      voices[0] || null;
  }

  // Voices may arrive a moment after the page loads.
  function checkVoices() {
    if (voice()) { button.hidden = false; say(""); return true; }
    button.hidden = true;
    say(control.getAttribute("data-no-voice"));
    return false;
  }
  if (!checkVoices()) {
    if (typeof speech.addEventListener === "function") { speech.addEventListener("voiceschanged", checkVoices); }
    setTimeout(checkVoices, 1500);
  }

  // Each block's words wrapped in spans once, so the word being read can be marked.
  var lines = null;
  function prepare() {
    if (lines) { return lines; }
    lines = [];
    document.querySelectorAll("h1[data-listen], [data-listen] p, [data-listen] h3").forEach(function (element) {
      var words = [];
      var text = "";
      var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) { nodes.push(walker.currentNode); }
      nodes.forEach(function (node) {
        var parts = node.textContent.split(/(\s+)/);
        var fragment = document.createDocumentFragment();
        parts.forEach(function (part) {
          if (part.length === 0) { return; }
          if (/^\s+$/.test(part)) { fragment.appendChild(document.createTextNode(part)); text += " "; return; }
          var span = document.createElement("span");
          span.className = "listen-word";
          span.textContent = part;
          fragment.appendChild(span);
          words.push({ start: text.length, span: span });
          text += part;
        });
        node.parentNode.replaceChild(fragment, node);
      });
      if (words.length > 0) { lines.push({ element: element, text: text, words: words }); }
    });
    return lines;
  }

  var reading = false;
  var current = null;
  function mark(span) {
    if (current) { current.classList.remove("listen-now"); }
    current = span;
    if (span) { span.classList.add("listen-now"); }
  }

  function stop() {
    reading = false;
    speech.cancel();
    mark(null);
    button.textContent = control.getAttribute("data-listen");
  }

  function readFrom(index) {
    var all = prepare();
    if (!reading || index >= all.length) { stop(); return; }
    var line = all[index];
    var utterance = new window.SpeechSynthesisUtterance(line.text);
    var chosen = voice();
    if (chosen) {
      utterance.lang = chosen.lang;
      // Only a real SpeechSynthesisVoice may be set; the language alone still picks a voice.
      try { utterance.voice = chosen; } catch (error) { /* keep the engine's choice */ }
    }
    utterance.rate = 0.9;
    mark(line.words[0].span);
    utterance.onboundary = function (event) {
      if (event.name && event.name !== "word") { return; }
      var word = null;
      for (var i = 0; i < line.words.length && line.words[i].start <= event.charIndex; i++) { word = line.words[i]; }
      if (word) { mark(word.span); }
    };
    utterance.onend = function () { readFrom(index + 1); };
    utterance.onerror = function () { stop(); };
    speech.speak(utterance);
  }

  button.addEventListener("click", function () {
    if (reading) { stop(); return; }
    reading = true;
    button.textContent = control.getAttribute("data-stop");
    speech.cancel();
    readFrom(0);
  });
})();
