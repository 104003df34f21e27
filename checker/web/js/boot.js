// Starts the quick checker. Loaded as a module by the page that holds the checker's mount
// point; the WebAssembly starts itself once instantiated. Where it cannot run (no
// WebAssembly, or the all-chapters print view), the mount point says so and links to the
// protocols instead of staying blank.
import init from "./checker.js";

const mount = document.getElementById("mcph-checker-mount");

function explain(message) {
  if (!mount) {
    return;
  }
  const root = mount.getAttribute("data-root") || "";
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

const printView = /(^|\/)print\.html$/.test(window.location.pathname);

if (printView) {
  explain(
    "The quick checker works on its own page in a web browser, not in this printable view of the whole handbook."
  );
} else if (typeof WebAssembly !== "object") {
  explain(
    "The quick checker cannot run in this browser because it does not support WebAssembly, or it has been turned off."
  );
} else {
  init()
    .then(function () {
      performance.mark("mcph-checker-ready");
    })
    .catch(function (error) {
      explain(
        "The quick checker could not start in this browser (" +
          String(error && error.message ? error.message : error) +
          ")."
      );
    });
}
