/* guidepress search: reads the edition's index and lists the pages that contain every word
   searched for, each with the passage that matches and the words marked. A word with one letter
   wrong, missing, extra or swapped ("medecine") finds the word it was meant to be.

   The index is in shards (see src/outputs/search.rs): search-index.js names them; a query loads,
   with <script> elements, the shard of each of its words (search/t-<key>.js) and then the runs
   of documents its first results are in (search/d-<n>.js). Each sets one variable. Scripts load
   from a static host and from disk alike, where fetch would be refused. With JavaScript off,
   the page says how to find things instead. */
(function () {
  "use strict";
  var manifest = window.GUIDEPRESS_SEARCH || { documents: 0, runs: [], shards: [] };
  var indexScript = document.querySelector("script[data-search-index]");
  var base = indexScript ? indexScript.src : window.location.href;
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var results = document.getElementById("search-results");
  if (!form || !input || !results) { return; }

  var WORD = /[\p{L}\p{N}'’-]+/gu;

  function terms(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}'’-]+/u).filter(function (t) { return t.length > 0; });
  }

  // Whether a and b differ by at most one edit: a letter changed, added, removed, or two
  // neighbouring letters swapped.
  function oneEdit(a, b) {
    if (a === b) { return true; }
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) { return false; }
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) { i++; }
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) { return true; }
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function hex(text) {
    var bytes = new TextEncoder().encode(text), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  // Loads a script of the index once; resolves when it has run (or failed: a missing shard
  // means no words, not a broken search).
  var loading = {};
  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = new URL(path, base).href;
        script.onload = resolve;
        script.onerror = resolve;
        document.head.appendChild(script);
      });
    }
    return loading[path];
  }

  // The shards a term's words can be in: the one with the longest key that starts the term,
  // and, for a term shorter than some keys, those keys' shards (at most 8, the rest unread).
  function shardsFor(term) {
    var keys = manifest.shards, own = null, longer = [];
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      if (term.indexOf(key) === 0 && (own === null || key.length > own.length)) { own = key; }
      else if (key.length > term.length && key.indexOf(term) === 0 && longer.length < 8) { longer.push(key); }
    }
    return (own === null ? [] : [own]).concat(longer);
  }

  function shard(key) { return window["GUIDEPRESS_SEARCH_T_" + hex(key)] || {}; }

  // "0,2,1" (gaps in base 36) to [0, 2, 3]: document number × 2, plus 1 for a title word.
  function postings(encoded) {
    var out = [], at = 0, parts = encoded.split(",");
    for (var i = 0; i < parts.length; i++) { at += parseInt(parts[i], 36); out.push(at); }
    return out;
  }

  // The words of the index that a search term finds: those that start with it, or, for a term
  // of four letters or more that no word starts with, words one edit away from it or that start
  // nearly like it ("medecine": "medicines").
  function found(vocabulary, term) {
    var exact = vocabulary.filter(function (w) { return w.indexOf(term) === 0; });
    if (exact.length > 0 || term.length < 4) { return { words: exact, typo: false }; }
    var near = vocabulary.filter(function (w) {
      if (oneEdit(w, term)) { return true; }
      if (term.length < 5) { return false; }
      for (var n = term.length - 1; n <= term.length + 1 && n < w.length; n++) {
        if (oneEdit(w.slice(0, n), term)) { return true; }
      }
      return false;
    });
    return { words: near, typo: near.length > 0 };
  }

  // Pages that have every term, with a score: a word in the title counts most, the exact word
  // more than a longer one, and a word found by a typo least.
  function search(queryTerms) {
    var scores = null, matched = [], typo = false;
    queryTerms.forEach(function (term) {
      var keys = shardsFor(term), vocabulary = [], entries = {};
      keys.forEach(function (key) {
        var words = shard(key);
        Object.keys(words).forEach(function (w) { vocabulary.push(w); entries[w] = words[w]; });
      });
      var hit = found(vocabulary, term);
      typo = typo || hit.typo;
      matched = matched.concat(hit.words);
      var best = {};
      hit.words.forEach(function (w) {
        var value = (w === term ? 2 : 1) - (hit.typo ? 1 : 0);
        postings(entries[w]).forEach(function (p) {
          var doc = p >> 1, score = value + (p & 1 ? 10 : 0);
          if (!(doc in best) || score > best[doc]) { best[doc] = score; }
        });
      });
      if (scores === null) { scores = best; return; }
      var both = {};
      Object.keys(scores).forEach(function (doc) { if (doc in best) { both[doc] = scores[doc] + best[doc]; } });
      scores = both;
    });
    var hits = Object.keys(scores || {}).map(function (doc) { return { number: Number(doc), score: Math.max(scores[doc], 1) }; });
    hits.sort(function (a, b) { return b.score - a.score || a.number - b.number; });
    return { hits: hits, words: matched, typo: typo };
  }

  // The run a document is in.
  function run(number) {
    var runs = manifest.runs, n = 0;
    while (n + 1 < runs.length && runs[n + 1] <= number) { n++; }
    return n;
  }

  function documentOf(number) {
    var n = run(number), entries = window["GUIDEPRESS_SEARCH_D_" + n] || [];
    var entry = entries[number - manifest.runs[n]] || ["", "", ""];
    return { url: entry[0], title: entry[1], text: entry[2] };
  }

  // The passage to show: the first line of the page's text with a matched word, cut to about
  // 30 words around it; else the page's first words.
  function passage(doc, words) {
    var lines = (doc.text || "").split("\n").filter(function (l) { return l.length > 0; });
    var wanted = {};
    words.forEach(function (w) { wanted[w] = true; });
    for (var i = 0; i < lines.length; i++) {
      var tokens = lines[i].split(" ");
      for (var j = 0; j < tokens.length; j++) {
        var bare = (tokens[j].match(WORD) || [""])[0].toLowerCase();
        if (wanted[bare]) {
          var start = Math.max(0, j - 10), end = Math.min(tokens.length, start + 30);
          return (start > 0 ? "… " : "") + tokens.slice(start, end).join(" ") + (end < tokens.length ? " …" : "");
        }
      }
    }
    var first = (lines[0] || "").split(" ");
    return first.slice(0, 30).join(" ") + (first.length > 30 ? " …" : "");
  }

  // Appends `text` to `parent` with each matched word in a <mark>, as text nodes (never HTML).
  function marked(parent, text, words) {
    var wanted = {};
    words.forEach(function (w) { wanted[w] = true; });
    var at = 0, match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      if (wanted[match[0].toLowerCase()]) {
        parent.appendChild(document.createTextNode(text.slice(at, match.index)));
        var mark = document.createElement("mark");
        mark.textContent = match[0];
        parent.appendChild(mark);
        at = match.index + match[0].length;
      }
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  // Each search replaces the one before; an answer that arrives late is dropped.
  var latest = 0;
  function show(query) {
    var queryTerms = terms(query), ticket = ++latest;
    if (queryTerms.length === 0) { results.textContent = ""; return; }
    var shards = [];
    queryTerms.forEach(function (term) { shards = shards.concat(shardsFor(term)); });
    Promise.all(shards.map(function (key) { return load("search/t-" + hex(key) + ".js"); })).then(function () {
      var found = search(queryTerms);
      var shown = found.hits.slice(0, 50);
      var runs = {};
      shown.forEach(function (hit) { runs[run(hit.number)] = true; });
      return Promise.all(Object.keys(runs).map(function (n) { return load("search/d-" + n + ".js"); })).then(function () {
        if (ticket === latest) { list(query, found, shown); }
      });
    });
  }

  function list(query, found, shown) {
    results.textContent = "";
    var count = found.hits.length;
    var summary = document.createElement("p");
    summary.className = "search-summary";
    summary.textContent = count === 0
      ? "No pages in this version contain \u201c" + query + "\u201d."
      : count + (count === 1 ? " page contains " : " pages contain ") + "\u201c" + query + "\u201d" +
        (found.typo ? ", or a word spelt nearly like it." : ".");
    results.appendChild(summary);
    if (count === 0) { return; }
    var ol = document.createElement("ol");
    ol.className = "search-list";
    shown.forEach(function (hit) {
      var doc = documentOf(hit.number);
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      var excerpt = document.createElement("p");
      marked(excerpt, passage(doc, found.words), found.words);
      item.appendChild(link);
      item.appendChild(excerpt);
      ol.appendChild(item);
    });
    results.appendChild(ol);
  }

  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  input.value = query;
  show(query);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value.trim();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(value));
    }
    show(value);
  });
})();
