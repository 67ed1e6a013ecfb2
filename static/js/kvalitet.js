// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  function init(root) {
    // Move focus to an error summary so screen readers announce it.
    var fokus = root.querySelector("[data-fokus]");
    if (fokus) { fokus.focus(); }

    // The work-injury question only applies to tillbud.
    var typ = root.querySelectorAll("input[name='typ']");
    var skada = root.querySelector(".falt-arbetsskadeanmalan");
    if (typ.length && skada) {
      var visa = function () {
        var vald = root.querySelector("input[name='typ']:checked");
        skada.hidden = !(vald && vald.value === "tillbud");
      };
      typ.forEach(function (el) { el.addEventListener("change", visa); });
      visa();
    }
  }

  function kontaktuppgifter(root) {
    // Contact fields only matter for those who are not anonymous.
    var val = root.querySelectorAll("input[name='anonym']");
    var falt = root.querySelector("#kontaktuppgifter");
    if (!val.length || !falt) { return; }
    var visa = function () {
      var vald = root.querySelector("input[name='anonym']:checked");
      falt.hidden = !!(vald && vald.value === "True");
    };
    val.forEach(function (el) { el.addEventListener("change", visa); });
    visa();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); kontaktuppgifter(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
