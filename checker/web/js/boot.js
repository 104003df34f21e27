// Starts the quick checker. A classic script (not a module), so that it also runs on pages
// opened straight from disk: there it loads the one-file build (checker-file.js, WebAssembly
// inlined) and the rule data as a script (rules-file.js), because browsers refuse modules and
// fetch on file:// pages. Served over HTTP(S), it imports the module and fetches its .wasm and
// the rule data (rules.bin) as usual. Either way it hands the rule data to the checker. Where
// the checker cannot run (no WebAssembly, the all-chapters print view) the mount point says so
// and links to the protocols.
//
// Speed: the page's head asks for checker.js (modulepreload), checker_bg.wasm and rules.bin
// (preload as fetch) while the page is still parsing; this script fetches the .wasm and the
// rule data at once, alongside the module, not after it, and hands the .wasm's response to the
// module, which compiles it as it streams in (WebAssembly.instantiateStreaming). When the
// first question can be answered, the time since navigation is marked as
// "mcph-checker-ready" (performance.getEntriesByName).
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

  // Asks for one of the checker's files. A failure says so in plain words (the browser's own,
  // "Failed to fetch", mean nothing to most readers), with the server's answer if it gave one.
  function download(name) {
    return fetch(new URL(name, here).href).then(
      function (response) {
        if (!response.ok) {
          throw new Error("part of it did not download: the server answered " + response.status);
        }
        return response;
      },
      function () {
        throw new Error("part of it did not download");
      }
    );
  }

  // Loads one of the checker's classic scripts (pages opened from disk).
  function script(name) {
    return new Promise(function (resolve, reject) {
      const tag = document.createElement("script");
      tag.src = new URL(name, here).href;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("its file checker/" + name + " is missing"));
      };
      document.head.appendChild(tag);
    });
  }

  // The bytes of base64 text.
  function bytes(text) {
    const chars = atob(text);
    const out = new Uint8Array(chars.length);
    for (let i = 0; i < chars.length; i++) {
      out[i] = chars.charCodeAt(i);
    }
    return out;
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
    // Two classic scripts: the checker (its WebAssembly inlined) and its rule data (base64).
    loading();
    Promise.all([script("checker-file.js"), script("rules-file.js")])
      .then(function () {
        /* global mcphChecker, mcphRules */
        mcphChecker.mount(bytes(mcphRules));
      })
      .then(started)
      .catch(failed);
  } else {
    // The three requests start now; the module compiles the .wasm while it downloads, and the
    // rule data comes down beside it.
    loading();
    const wasm = download("checker_bg.wasm");
    const rules = download("rules.bin").then(function (response) {
      return response.arrayBuffer();
    });
    // A download that fails before the module has arrived is handled below, once the module
    // uses it; until then the browser would report it in the console as an unhandled error.
    wasm.catch(function () {});
    rules.catch(function () {});
    import(new URL("checker.js", here).href)
      .then(function (module) {
        return Promise.all([module.default({ module_or_path: wasm }), rules]).then(
          function (ready) {
            module.mount(new Uint8Array(ready[1]));
          }
        );
      })
      .then(started)
      .catch(failed);
  }
})();
