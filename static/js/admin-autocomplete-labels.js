"use strict";
// The admin's autocomplete (Select2) builds its own selection box and search fields, which
// carry no label; screen readers then announce an unnamed box. Give each the name of the field
// it stands for, read from that field's own <label>. Select2 adds and rebuilds these elements
// as forms change (inlines added, choices made), so every change of the page is looked at.
(function () {
  // The box, a single choice's shown value (a read-only textbox) and the inline search field.
  const NAMED = ".select2-selection, .select2-selection__rendered[role], .select2-search__field";

  function fieldName(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  }

  function name(element, select) {
    if (!select || element.hasAttribute("aria-label")) {
      return;
    }
    // A single choice's box is "labelled by" its shown choice, which is empty until one is made.
    element.removeAttribute("aria-labelledby");
    element.setAttribute("aria-label", fieldName(select));
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      if (container && container.classList.contains("select2")) {
        container.querySelectorAll(NAMED).forEach(
          function (element) { name(element, select); }
        );
      }
    });
    // An open dropdown's search field sits at the end of the page; it controls the results
    // list "select2-<field id>-results".
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (field) {
      const results = /^select2-(.+)-results$/.exec(field.getAttribute("aria-controls") || "");
      name(field, results && document.getElementById(results[1]));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
