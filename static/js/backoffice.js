/* Back office: links that only open a menu or add a filter never navigate (no inline handlers: CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href='#']");
    if (link) {
      event.preventDefault();
    }
  });
})();
