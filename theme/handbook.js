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

// Search's scripts (elasticlunr, mark.js, the searcher: 19 KB gzipped) load when the reader
// first asks for search, not with every page. The build lists them, in order, on the search
// button (book/builder/src/postprocess.rs). Script elements work from file:// and under the
// site's policy; fetch would not work from file://.
//
// Until the searcher has run, this stands in for it: its button and keys (s, /) open the bar
// at once, because a phone raises its keyboard only for a field focused during the reader's
// own tap. Then the searcher is handed the bar as the reader left it. ?search= and ?highlight=
// load it at once; the searcher then does what it always did with them.
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
  var state = "waiting"; // "loading", "ready", or "waiting" again if it failed
  var open = null; // the bar as the reader left it, once they have asked for it

  // As the searcher opens and closes the bar.
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
    // The searcher has bound its button and keys, and closed the bar (unless ?search= opened
    // it). Its button opens it again; what the reader typed meanwhile is searched for.
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
    // Opening search again tries again.
    state = "waiting";
    added.forEach(function (script) {
      script.remove();
    });
    outer.classList.remove("searching");
    // (If the handbook was updated while the page was open, its scripts have new names:
    // only a reload finds them.)
    message("Search could not be loaded. Check the connection, then close search and open it again, or reload the page.");
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
      // Run in order (the searcher needs the other two), downloaded together.
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
    // The searcher's test (book.js): a key typed in a form field is the field's.
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
