// Starts the quick checker. A classic script (not a module), so that it also runs on pages
// opened straight from disk: there it loads the one-file build (checker-file.js, WebAssembly
// inlined), because browsers refuse modules and fetch on file:// pages. Served over HTTP(S), it
// imports the module and its .wasm as usual. Where the checker cannot run (no WebAssembly, the
// all-chapters print view) the mount point says so and links to the protocols.
(function () {
  "use strict";
  const mount = document.getElementById("mcph-checker-mount");
  if (!mount) {
    return;
  }
  const here = document.currentScript ? document.currentScript.src : "";
  const root = mount.getAttribute("data-root") || "";

  function explain(message) {
    mount.setAttribute("data-checker", "unavailable");
    const box = document.createElement("div");
    box.className = "mcph-fallback";
    const p = document.createElement("p");
    p.textContent = message + " ";
    const a = document.createElement("a");
    a.href = root + "introduction.html";
    a.textContent = "Read the protocols in full instead.";
    p.appendChild(a);
    box.appendChild(p);
    mount.replaceChildren(box);
  }

  function started() {
    if (document.documentElement.getAttribute("data-checker") === "ready") {
      performance.mark("mcph-checker-ready");
    } else {
      explain("The quick checker could not start in this browser.");
    }
  }

  function failed(error) {
    explain(
      "The quick checker could not start in this browser (" +
        String(error && error.message ? error.message : error) +
        ")."
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
    const script = document.createElement("script");
    script.src = new URL("checker-file.js", here).href;
    script.onload = started;
    script.onerror = function () {
      failed("its file checker/checker-file.js is missing");
    };
    document.head.appendChild(script);
  } else {
    import(new URL("checker.js", here).href)
      .then(function (module) {
        return module.default();
      })
      .then(started)
      .catch(failed);
  }
})();
