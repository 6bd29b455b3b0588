/* guidepress search: reads the edition's index (window.GUIDEPRESS_SEARCH, from search-index.js)
   and lists the pages that contain every word searched for, each with the passage that matches
   and the words marked. A word with one letter wrong, missing, extra or swapped ("medecine")
   finds the word it was meant to be. Works from a static host and from disk; with JavaScript
   off, the page says how to find things instead. */
(function () {
  "use strict";
  var documents = window.GUIDEPRESS_SEARCH || [];
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

  // The words of a page that a search term finds: those that start with it, or, for a term of
  // four letters or more that no word starts with, words one edit away from it.
  function found(doc, term) {
    if (!doc.list) { doc.list = doc.words.split(" "); }
    var exact = doc.list.filter(function (w) { return w.indexOf(term) === 0; });
    if (exact.length > 0 || term.length < 4) { return { words: exact, typo: false }; }
    // A longer term also finds words it starts nearly like ("medecine": "medicines").
    var near = doc.list.filter(function (w) {
      if (oneEdit(w, term)) { return true; }
      if (term.length < 5) { return false; }
      for (var n = term.length - 1; n <= term.length + 1 && n < w.length; n++) {
        if (oneEdit(w.slice(0, n), term)) { return true; }
      }
      return false;
    });
    return { words: near, typo: near.length > 0 };
  }

  function score(doc, queryTerms) {
    var title = doc.title.toLowerCase();
    var total = 0, matched = [], typo = false;
    for (var i = 0; i < queryTerms.length; i++) {
      var term = queryTerms[i];
      var inTitle = title.indexOf(term) !== -1;
      var hit = found(doc, term);
      if (!inTitle && hit.words.length === 0) { return null; }
      total += (inTitle ? 10 : 0) + (hit.words.indexOf(term) !== -1 ? 2 : 1) - (hit.typo ? 1 : 0);
      matched = matched.concat(hit.words.length > 0 ? hit.words : [term]);
      typo = typo || hit.typo;
    }
    return { score: Math.max(total, 1), words: matched, typo: typo };
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

  function show(query) {
    var queryTerms = terms(query);
    results.textContent = "";
    if (queryTerms.length === 0) { return; }
    var hits = [], typo = false;
    for (var i = 0; i < documents.length; i++) {
      var s = score(documents[i], queryTerms);
      if (s) { hits.push({ doc: documents[i], score: s.score, words: s.words, order: i }); typo = typo || s.typo; }
    }
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    var summary = document.createElement("p");
    summary.className = "search-summary";
    summary.textContent = hits.length === 0
      ? "No pages in this version contain \u201c" + query + "\u201d."
      : hits.length + (hits.length === 1 ? " page contains " : " pages contain ") + "\u201c" + query + "\u201d" +
        (typo ? ", or a word spelt nearly like it." : ".");
    results.appendChild(summary);
    if (hits.length === 0) { return; }
    var list = document.createElement("ol");
    list.className = "search-list";
    hits.slice(0, 50).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.doc.url;
      link.textContent = hit.doc.title;
      var excerpt = document.createElement("p");
      marked(excerpt, passage(hit.doc, hit.words), hit.words);
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    results.appendChild(list);
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
