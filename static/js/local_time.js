// A <time data-local-time> is written by the server in UTC; shown here in the reader's own
// time zone and language (the UTC text stays as its tooltip, and as-is without JavaScript).
(function () {
  "use strict";
  var format;
  try {
    format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  } catch (e) {
    return;
  }
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var moment = new Date(el.getAttribute("datetime"));
    if (isNaN(moment.getTime())) { return; }
    el.title = el.textContent;
    el.textContent = format.format(moment);
  });
})();
