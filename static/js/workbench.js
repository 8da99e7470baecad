// Queue keyboard shortcuts: a key clicks the element marked data-key="<key>" on the page
// (approve, reject, take, next). Never while typing in a field, nor with a modifier held.
(function () {
  "use strict";

  var NOT_TYPED = ["checkbox", "radio", "button", "submit", "reset"];

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    if (tag === "INPUT") return NOT_TYPED.indexOf((target.type || "").toLowerCase()) === -1;
    return target.isContentEditable || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = (event.key || "").toLowerCase();
    if (key.length !== 1) return;
    var element = document.querySelector('[data-key="' + key + '"]');
    if (!element) return;
    event.preventDefault();
    // A decision needing a choice (a rejection reason) first goes to the choices.
    var needs = element.getAttribute("data-needs");
    var form = element.form;
    if (needs && form && !form.querySelector(needs + ":checked")) {
      var first = form.querySelector(needs);
      if (first) { first.focus(); return; }
    }
    if (element.tagName === "TEXTAREA" || element.tagName === "INPUT") { element.focus(); return; }
    element.click();
  });
}());
