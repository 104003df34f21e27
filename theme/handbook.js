// The handbook's own script for every page. It keeps nothing and sends nothing.
//
// mdBook's sidebar toggle is a label; the build gives it role="button" and tabindex="0" so
// it can be reached with Tab. Here Enter and Space press it, as they press a button.
(function () {
  "use strict";
  var toggle = document.getElementById("mdbook-sidebar-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      toggle.click();
    }
  });
})();

// Search is loaded the first time the reader asks for it, not with every page: its three
// scripts (elasticlunr, mark.js and the handbook's searcher, theme/search.js) are about 19 KB
// gzipped, a third of what a chapter weighs, for something most readers never open. The build
// takes them out of the page and lists their addresses on the search button, in the order
// they must run (data-mcph-search; book/builder/src/postprocess.rs). They are added as script
// elements: those work from file:// (fetch does not) and under the site's policy, which allows
// scripts from the site itself.
//
// Until the searcher has run, this stands in for it. The search button and the keys the
// searcher answers to (s and /, with no modifier, outside a form field) open the bar at once,
// as the searcher would, so the reader can start typing; a phone raises its keyboard only for
// a field focused during the reader's own tap, so this cannot wait for the download. Escape
// closes it again. When the searcher has run it owns the bar, and is handed it as the reader
// left it. An address with ?search= or ?highlight= loads it at once: the searcher then shows
// the results or the highlights, as it always did.
(function () {
  "use strict";
  var button = document.getElementById("mdbook-search-toggle");
  var wrapper = document.getElementById("mdbook-search-wrapper");
  var outer = document.getElementById("mdbook-searchbar-outer");
  var bar = document.getElementById("mdbook-searchbar");
  var list = button && button.getAttribute("data-mcph-search");
  if (!list || !wrapper || !outer || !bar) {
    return;
  }
  var scripts = list.split(" ");
  var state = "waiting"; // then "loading", then "ready" (or "waiting" again if it failed)
  var open = null; // whether the reader has the bar open, once they have asked for it

  // What the searcher does when it opens or closes the bar.
  function show(yes) {
    open = yes;
    wrapper.classList.toggle("hidden", !yes);
    button.setAttribute("aria-expanded", yes ? "true" : "false");
    if (yes) {
      window.scrollTo(0, 0);
      bar.select();
    } else if (document.activeElement === bar) {
      bar.blur();
    }
  }

  function message(text) {
    var header = document.getElementById("mdbook-searchresults-header");
    var results = document.getElementById("mdbook-searchresults-outer");
    if (header && results) {
      header.setAttribute("role", "status");
      header.textContent = text;
      results.classList.toggle("hidden", text === "");
    }
  }

  function ready() {
    state = "ready";
    outer.classList.remove("searching");
    // The searcher has bound its own button and keys and, with no ?search= in the address,
    // closed the bar. Pressing its button opens the bar and selects what it holds, as it does
    // for the reader; what they typed meanwhile is then searched for, and their place in it
    // kept, as if the searcher had been there all along.
    if (open !== null && open === wrapper.classList.contains("hidden")) {
      var typed = bar.value;
      var start = bar.selectionStart;
      var end = bar.selectionEnd;
      button.click();
      if (open && typed !== "") {
        bar.setSelectionRange(start, end);
        bar.dispatchEvent(new KeyboardEvent("keyup"));
      }
    }
  }

  function failed(added) {
    // The next time the reader opens search, it tries again (whatever did load is cached).
    state = "waiting";
    added.forEach(function (script) {
      script.remove();
    });
    outer.classList.remove("searching");
    message("Search could not be loaded. Check the connection, then close search and open it again.");
  }

  function load() {
    if (state !== "waiting") {
      return;
    }
    state = "loading";
    message("");
    outer.classList.add("searching");
    var left = scripts.length;
    var broken = false;
    var added = [];
    scripts.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      // Added by a script, they would run in whichever order they arrive; this keeps the
      // order while they download together (the searcher needs the other two).
      script.async = false;
      script.onload = script.onerror = function (event) {
        broken = broken || event.type === "error";
        left -= 1;
        if (left === 0) {
          if (broken) {
            failed(added);
          } else {
            ready();
          }
        }
      };
      added.push(script);
      document.body.appendChild(script);
    });
  }

  button.addEventListener("click", function () {
    if (state === "ready") {
      return; // the searcher's own handler does it
    }
    show(!open);
    if (open) {
      load();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (state === "ready" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var inBar = document.activeElement === bar;
    // The searcher's test, from book.js: a key typed in a form field is the field's.
    var elsewhere = typeof mdbook_something_else_has_focus === "function"
      ? mdbook_something_else_has_focus(event)
      : /^(?:input|select|textarea)$/i.test(event.target.nodeName);
    if (!inBar && elsewhere) {
      return;
    }
    if (event.key === "Escape" && open) {
      event.preventDefault();
      show(false);
    } else if (!inBar && (event.key === "s" || event.key === "/")) {
      event.preventDefault();
      show(true);
      load();
    }
  });

  var params = new URLSearchParams(window.location.search);
  if (params.get("search") || params.has("highlight")) {
    load();
  }
})();
