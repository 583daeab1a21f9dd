// The browsable API's forms submit through jQuery. Updates and deletions need If-Match (428
// without it), so every form on the page sends the ETag of the representation shown
// (templates/rest_framework/api.html puts it in #atlas-etag).
(function () {
  "use strict";
  var element = document.getElementById("atlas-etag");
  var etag = element ? JSON.parse(element.textContent) : "";
  if (etag) {
    $.ajaxSetup({headers: {"If-Match": etag}});
  }
})();
