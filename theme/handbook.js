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
