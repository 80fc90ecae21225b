// Printable sheets: the Print button. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
