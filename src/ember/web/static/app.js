// ember web app: mounts the report's map and timeline (window.EmberViews, from
// /static/report/ember.js) on the elements that ask for them. Data comes from
// <script type="application/json"> blocks, parsed as JSON, never run; nothing here
// writes HTML: text goes in with textContent only.
(function () {
  "use strict";

  function readData(id) {
    var block = document.getElementById(id);
    if (!block) return null;
    try {
      return JSON.parse(block.textContent);
    } catch (err) {
      return null;
    }
  }

  function notice(el, text) {
    var p = document.createElement("p");
    p.className = "view-notice";
    p.textContent = text;
    el.appendChild(p);
  }

  // The report links a document to its sources list; here, to its own page.
  function docHref(docId) {
    return "/documents/" + encodeURIComponent(docId);
  }

  function mount(selector, method) {
    var elements = document.querySelectorAll(selector);
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var data = readData(el.getAttribute("data-source"));
      var views = window.EmberViews;
      if (!views || typeof views[method] !== "function") {
        notice(el, "The map and timeline scripts are not available.");
        continue;
      }
      if (data === null) {
        notice(el, "No data to show.");
        continue;
      }
      try {
        views[method](el, data, { docHref: docHref });
      } catch (err) {
        notice(el, "This view could not be drawn.");
      }
    }
  }

  function start() {
    mount('[data-view="map"][data-source]', "mountMap");
    mount('[data-view="timeline"][data-source]', "mountTimeline");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
