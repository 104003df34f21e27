// Starts the quick checker. Loaded as a module by the page that holds the checker's mount
// point; the WebAssembly starts itself once instantiated.
import init from "./checker.js";

const mount = document.getElementById("mcph-checker-mount");

init()
  .then(function () {
    performance.mark("mcph-checker-ready");
  })
  .catch(function (error) {
    if (!mount) {
      return;
    }
    mount.setAttribute("data-checker", "failed");
    const p = document.createElement("p");
    p.className = "mcph-notice";
    p.textContent =
      "The quick checker could not start in this browser (" +
      String(error && error.message ? error.message : error) +
      "). The protocols can still be read in full from the contents.";
    mount.replaceChildren(p);
  });
