// Starts the quick checker. A classic script (not a module), so that it also runs on pages
// opened straight from disk: there it loads the one-file build (checker-file.js, WebAssembly
// inlined), because browsers refuse modules and fetch on file:// pages. Served over HTTP(S), it
// imports the module and its .wasm as usual. Where the checker cannot run (no WebAssembly, the
// all-chapters print view) the mount point says so and links to the protocols.
//
// Speed: the page's head asks for checker.js (modulepreload) and checker_bg.wasm (preload as
// fetch) while the page is still parsing; this script fetches the .wasm at once, alongside
// the module, not after it, and hands the response to the module, which compiles it as it
// streams in (WebAssembly.instantiateStreaming). When the first question can be answered,
// the time since navigation is marked as "mcph-checker-ready" (performance.getEntriesByName).
//
// The site's build names every file after its content and rewrites the file names in this
// script to match (book/builder/src/fingerprint.rs), so browsers can keep them for a year.
(function () {
  "use strict";
  const mount = document.getElementById("mcph-checker-mount");
  if (!mount) {
    return;
  }
  const here = document.currentScript ? document.currentScript.src : "";
  const root = mount.getAttribute("data-root") || "";

  // Until the checker is on the page, say that it is on its way: on a weak connection its
  // download takes seconds, and the page's own words ("has not started") are for browsers
  // that run no script at all.
  function loading() {
    const box = document.createElement("div");
    box.className = "mcph-fallback";
    box.setAttribute("role", "status");
    const p = document.createElement("p");
    p.textContent = "Loading the quick checker\u2026 On a weak connection this can take a little while.";
    box.appendChild(p);
    mount.replaceChildren(box);
  }

  function explain(message) {
    mount.setAttribute("data-checker", "unavailable");
    const p = document.createElement("p");
    p.textContent = message + " ";
    const a = document.createElement("a");
    a.href = root + "introduction.html";
    a.textContent = "Read the protocols in full instead.";
    p.appendChild(a);
    // After "Loading…", the message goes into the same status box, so that screen readers
    // announce it as they announced the wait.
    const status = mount.querySelector('[role="status"]');
    if (status) {
      status.replaceChildren(p);
      return;
    }
    const box = document.createElement("div");
    box.className = "mcph-fallback";
    box.appendChild(p);
    mount.replaceChildren(box);
  }

  // The first question is the choice of protocol: once it is on the page, it can be answered.
  function started() {
    if (document.documentElement.getAttribute("data-checker") !== "ready") {
      explain("The quick checker could not start in this browser.");
      return;
    }
    function first() {
      return document.getElementById("mcph-protocol");
    }
    if (first()) {
      performance.mark("mcph-checker-ready");
      return;
    }
    const watch = new MutationObserver(function () {
      if (first()) {
        watch.disconnect();
        performance.mark("mcph-checker-ready");
      }
    });
    watch.observe(mount, { childList: true, subtree: true });
  }

  function failed(error) {
    // Most often the connection dropped during the download, or the handbook was updated
    // while this page was open (its files then have new names): a reload fixes both.
    explain(
      "The quick checker could not start (" +
        String(error && error.message ? error.message : error) +
        "). Check the connection, then reload the page."
    );
  }

  if (/(^|\/)print\.html$/.test(window.location.pathname)) {
    explain(
      "The quick checker works on its own page in a web browser, not in this printable view of the whole handbook."
    );
  } else if (typeof WebAssembly !== "object") {
    explain(
      "The quick checker cannot run in this browser because it does not support WebAssembly, or it has been turned off."
    );
  } else if (window.location.protocol === "file:") {
    loading();
    const script = document.createElement("script");
    script.src = new URL("checker-file.js", here).href;
    script.onload = started;
    script.onerror = function () {
      failed("its file checker/checker-file.js is missing");
    };
    document.head.appendChild(script);
  } else {
    // Both requests start now; the module compiles the .wasm while it downloads.
    loading();
    const wasm = fetch(new URL("checker_bg.wasm", here).href);
    import(new URL("checker.js", here).href)
      .then(function (module) {
        return module.default({ module_or_path: wasm });
      })
      .then(started)
      .catch(failed);
  }
})();
