// The demo page: a campus chosen on the map or in its list is asked about in the chat widget.
(function () {
  "use strict";
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
