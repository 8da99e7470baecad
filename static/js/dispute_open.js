// The "open a dispute" form: a note tied to one reason (data-shown-for-reason) shows only
// while that reason is chosen. Without JavaScript the note is always shown.
(function () {
  "use strict";
  const reason = document.getElementById("reason");
  const notes = document.querySelectorAll("[data-shown-for-reason]");
  if (!reason || !notes.length) { return; }
  function update() {
    notes.forEach(function (note) { note.hidden = reason.value !== note.dataset.shownForReason; });
  }
  reason.addEventListener("change", update);
  update();
})();
