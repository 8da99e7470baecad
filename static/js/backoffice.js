/* Back office: links that only open a menu or add a filter never navigate (no inline handlers: CSP),
   times are shown in the viewer's own zone, and filter forms say which zone their dates are in. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href='#']");
    if (link) {
      event.preventDefault();
    }
  });

  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  // Flask-Admin's page has no lang attribute: the layout names the page's language in a meta tag.
  var language = document.querySelector("meta[name=language]");
  var format = new Intl.DateTimeFormat((language && language.content) || undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  // Only moments with an explicit offset: a naive one would be misread as local time.
  var withOffset = /(Z|[+-]\d\d:\d\d)$/;
  document.querySelectorAll("time[datetime]").forEach(function (element) {
    var stamp = element.getAttribute("datetime");
    var moment = new Date(stamp);
    if (!withOffset.test(stamp) || isNaN(moment.getTime())) {
      return;
    }
    element.title = element.textContent.trim();
    element.textContent = format.format(moment);
  });
  document.querySelectorAll("input[data-viewer-zone]").forEach(function (input) {
    input.value = zone;
  });
  document.querySelectorAll("[data-zone-name]").forEach(function (element) {
    if (zone) {
      element.textContent = zone;
    }
  });
})();
