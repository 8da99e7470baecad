/* Canned responses on decision forms: picking one puts its text (already filled in for the item)
   into the textarea it names, where the moderator may still edit it. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    var target = document.getElementById(select.getAttribute("data-fills"));
    if (!target) {
      return;
    }
    function fill() {
      var option = select.options[select.selectedIndex];
      if (option && option.hasAttribute("data-text")) {
        target.value = option.getAttribute("data-text");
        target.focus();
      }
    }
    select.addEventListener("change", fill);
    // A pick made before this script ran (a slow page) still fills an empty note.
    if (!target.value) {
      fill();
    }
  });
})();
