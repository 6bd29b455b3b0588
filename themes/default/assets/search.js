/* guidepress search: reads the edition's index (window.GUIDEPRESS_SEARCH, from search-index.js)
   and lists the pages that contain every word searched for. Works from a static host and from
   disk; with JavaScript off, the page says how to find things instead. */
(function () {
  "use strict";
  var documents = window.GUIDEPRESS_SEARCH || [];
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var results = document.getElementById("search-results");
  if (!form || !input || !results) { return; }

  function terms(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}'’-]+/u).filter(function (t) { return t.length > 0; });
  }

  function score(doc, queryTerms) {
    var words = " " + doc.words + " ";
    var title = doc.title.toLowerCase();
    var total = 0;
    for (var i = 0; i < queryTerms.length; i++) {
      var term = queryTerms[i];
      var inTitle = title.indexOf(term) !== -1;
      var inWords = words.indexOf(" " + term) !== -1;
      if (!inTitle && !inWords) { return 0; }
      total += (inTitle ? 10 : 0) + (words.indexOf(" " + term + " ") !== -1 ? 2 : 1);
    }
    return total;
  }

  function show(query) {
    var queryTerms = terms(query);
    results.textContent = "";
    if (queryTerms.length === 0) { return; }
    var found = [];
    for (var i = 0; i < documents.length; i++) {
      var s = score(documents[i], queryTerms);
      if (s > 0) { found.push({ doc: documents[i], score: s, order: i }); }
    }
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    var summary = document.createElement("p");
    summary.className = "search-summary";
    summary.textContent = found.length === 0
      ? "No pages in this version contain \u201c" + query + "\u201d."
      : found.length + (found.length === 1 ? " page contains " : " pages contain ") + "\u201c" + query + "\u201d.";
    results.appendChild(summary);
    if (found.length === 0) { return; }
    var list = document.createElement("ol");
    list.className = "search-list";
    found.slice(0, 50).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.doc.url;
      link.textContent = hit.doc.title;
      var excerpt = document.createElement("p");
      excerpt.textContent = hit.doc.excerpt;
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
