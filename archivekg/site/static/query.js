// Progressive enhancement of the query form; the form works the same without it.
// - Ctrl+Enter (Cmd+Enter) runs the query.
// - A query too long for a link (servers refuse request lines over 8 KB) is sent with POST;
//   shorter ones keep GET, so that the address of the results can be shared.
(function () {
  "use strict";
  var area = document.getElementById("query-text");
  if (!area || !area.form) {
    return;
  }
  var form = area.form;
  var LONGEST_GET = 6000;

  form.addEventListener("submit", function () {
    form.method = encodeURIComponent(area.value).length > LONGEST_GET ? "post" : "get";
  });

  area.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });
})();
