// The demo page: a campus chosen on the map or in its list is asked about in the chat widget.
(function () {
  "use strict";
  var map = document.querySelector("svg.cmq-map");
  // For the widget's « Voir sur la carte »: these campuses stand out, the others fade.
  if (map) {
    window.CmqMap = {
      highlight: function (keys) {
        map.querySelectorAll("a[data-campus]").forEach(function (point) {
          var shown = keys.indexOf(point.getAttribute("data-campus")) >= 0;
          point.classList.toggle("cmq-map-highlight", shown);
          point.classList.toggle("cmq-map-faded", !shown);
        });
        map.scrollIntoView({ behavior: "smooth", block: "center" });
        var first = map.querySelector("a.cmq-map-highlight");
        if (first) first.focus({ preventScroll: true });
      }
    };
  }
  document.querySelectorAll("[data-campus]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (!window.CmqWidget) return;
      var name = link.getAttribute("aria-label") || link.textContent;
      var payload = "/ask_campus_details" + JSON.stringify({ campus: link.getAttribute("data-campus") });
      window.CmqWidget.ask("Le campus " + name.split(" — ")[0], payload);
    });
  });
})();
