// Suggestions under every search box (progressive enhancement: the box is a plain form and
// works the same without this script).  Typing asks /search/complete for the best entities;
// arrow keys move through them, Enter opens one, Escape closes the list.
(function () {
  "use strict";
  var DELAY = 120;

  function attach(input) {
    var url = input.getAttribute("data-complete");
    if (!url) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null;
    var active = -1;
    var asked = "";

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(results) {
      list.textContent = "";
      active = -1;
      results.forEach(function (result, position) {
        var item = document.createElement("li");
        item.id = list.id + "-" + position;
        item.setAttribute("role", "option");
        var link = document.createElement("a");
        link.href = result.page || ("?q=" + encodeURIComponent(result.label));
        link.textContent = result.label;
        var kind = document.createElement("small");
        kind.textContent = " " + result.type + (result.name && result.name !== result.label ? " · " + result.name : "");
        link.appendChild(kind);
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    function ask() {
      var text = input.value.trim();
      if (text === asked) {
        return;
      }
      asked = text;
      if (!text) {
        close();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() === text) {
            show(data.results || []);
          }
        })
        .catch(function () { close(); });
    }

    function move(step) {
      var items = list.querySelectorAll("li");
      if (!items.length) {
        return;
      }
      if (active >= 0) {
        items[active].removeAttribute("aria-selected");
      }
      active = (active + step + items.length) % items.length;
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("li a")[active].href;
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 200);
    });
  }

  var inputs = document.querySelectorAll("input[data-complete]");
  for (var i = 0; i < inputs.length; i++) {
    attach(inputs[i]);
  }
})();
