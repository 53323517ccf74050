/* Progressive enhancement of the search filters. Everything works without this file: the
   options behind "Show all" are in a <details>, and filters apply with the "Apply filters"
   button. With it:
   - a long facet (local authorities) gets a type-to-filter box;
   - on a phone-sized screen the filter panel starts closed, so results come first. */
(function () {
  "use strict";
  document.documentElement.classList.add("js-enabled");

  function normalise(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  function enhanceFacet(facet, n) {
    var fieldset = facet.querySelector("fieldset");
    var more = facet.querySelector("[data-facet-more]");
    var items = Array.prototype.slice.call(facet.querySelectorAll(".checkboxes__item"));
    var label = facet.getAttribute("data-facet-label") || "options";
    var id = "facet-filter-" + n;

    var wrapper = document.createElement("div");
    wrapper.className = "facet__filter";
    var lab = document.createElement("label");
    lab.className = "label visually-hidden";
    lab.htmlFor = id;
    lab.textContent = "Filter " + label + " options";
    var input = document.createElement("input");
    input.className = "input";
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = "Type to filter " + label;
    var none = document.createElement("p");
    none.className = "facet__none";
    none.setAttribute("role", "status");
    wrapper.appendChild(lab);
    wrapper.appendChild(input);
    var legend = fieldset.querySelector("legend");
    legend.parentNode.insertBefore(wrapper, legend.nextSibling);
    wrapper.parentNode.insertBefore(none, wrapper.nextSibling);

    // Whether "Show all" was open when filtering began, to restore once the box is cleared. Read
    // when the first letter is typed: `open` changes at once on a click, its toggle event later
    // (so an event handler could record a close after filtering had already opened it).
    var wasOpen = false;
    var filtering = false;
    input.addEventListener("input", function () {
      var text = normalise(input.value);
      if (more && text && !filtering) { wasOpen = more.open; }
      filtering = !!text;
      var shown = 0;
      items.forEach(function (item) {
        var match = !text || item.getAttribute("data-option").indexOf(text) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (more) {
        // While filtering, every option is a candidate: open "Show all" and hide its toggle.
        if (text) { more.open = true; } else { more.open = wasOpen; }
        more.querySelector("summary").hidden = !!text;
      }
      none.textContent = shown > 0 ? "" : "No " + label + " match \u2018" + input.value + "\u2019";
    });
    // Enter in the filter box must not submit the whole search form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  function init() {
    var facets = document.querySelectorAll("[data-facet-filterable]");
    for (var i = 0; i < facets.length; i++) { enhanceFacet(facets[i], i + 1); }

    var panel = document.querySelector("[data-filter-panel]");
    if (panel && window.matchMedia) {
      var narrow = window.matchMedia("(max-width: 640px)");
      // ... unless a filter needs correcting: the error summary links into the panel.
      if (narrow.matches && !panel.querySelector(".form-group--error")) { panel.open = false; }
      // On wider screens the panel's summary is a heading: keep the panel open.
      panel.addEventListener("toggle", function () {
        if (!narrow.matches && !panel.open) { panel.open = true; }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
