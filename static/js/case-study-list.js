// Progressive enhancement of the case-study list; without it the page works through its
// buttons. A ticked facet value applies at once; a ticked "Compare" keeps the pick at once
// (and comes back to the same case study); on a wide screen the filter panel starts open.
(function () {
  "use strict";
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia("(min-width: 52rem)").matches) {
    panel.open = true;
  }
  var filters = document.querySelector("form.filters");
  if (filters) {
    filters.addEventListener("change", function (event) {
      var field = event.target;
      if (field.type === "checkbox" || field.tagName === "SELECT") {
        filters.requestSubmit();
      }
    });
  }
  var compare = document.getElementById("compare-form");
  if (compare) {
    document.addEventListener("change", function (event) {
      var field = event.target;
      if (field.getAttribute("form") === "compare-form") {
        compare.action = compare.getAttribute("action").split("#")[0] + "#" + field.id;
        compare.requestSubmit();
      }
    });
  }
})();
