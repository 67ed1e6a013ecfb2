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

  function meny() {
    // On a phone the main menu folds behind its button (the CSS hides it only while the
    // button says it is closed, so without this script it stays open); Escape in the
    // open menu closes it and returns to the button.
    var knapp = document.querySelector(".menyknapp");
    var lista = knapp && document.getElementById(knapp.getAttribute("aria-controls"));
    if (!lista) { return; }
    var satt = function (oppen) { knapp.setAttribute("aria-expanded", oppen ? "true" : "false"); };
    knapp.hidden = false;
    knapp.addEventListener("click", function () {
      satt(knapp.getAttribute("aria-expanded") !== "true");
    });
    lista.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && knapp.offsetParent !== null) { satt(false); knapp.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); kontaktuppgifter(document); meny(); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
