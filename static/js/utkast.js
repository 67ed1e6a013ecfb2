// Drafts: what a logged-in user types into a form survives a session that expires.
//
// A session lasts SESSION_COOKIE_AGE (8 hours). A form sent after it has expired is
// answered with the login page (the next page: the page the form was on, see
// kvalitet.middleware.InloggningMiddleware), and what was typed would be gone. So while
// a person types, the form's fields are kept in the tab's sessionStorage; when the form
// is shown again after the login, they are filled back in with a notice, and the person
// checks them and sends the form themselves.
//
// Why sessionStorage, and not localStorage or the server (the records are confidential
// social-services matters, and computers are shared):
// - localStorage outlives the tab and the browser: the next person at a shared computer
//   could find a colleague's text about a client days later. sessionStorage belongs to
//   this one tab, is gone when the tab is closed, is never sent anywhere, and is not
//   seen by other tabs: it holds what the open tab already shows on the screen, no more
//   and for no longer.
// - Keeping the sent form on the server, for the login to replay, would store
//   confidential text for someone not logged in, and would save it without the person
//   seeing it again (perhaps hours later, perhaps as someone else). Here nothing is
//   sent until the person sends it, with the new login's CSRF token.
// - Drafts are the user's: <body data-anvandare> names whose page this is, a draft is
//   filled in only for the user who typed it, anyone else's are deleted when someone
//   logs in in the tab, and logging out deletes them all.
//
// Only forms that write to the server (method post) on pages of a logged-in user, and
// only the fields a person types or chooses: never passwords, hidden fields (the CSRF
// token), files. `data-inget-utkast` on a form leaves it out.
//
// A draft: {varden, baslinje, skickad, hinder} – the fields as typed, the fields as the
// server gave them (the baseline), whether the form has been sent, and why a sent form
// was not received ("utloggad": it ended on the login page; "ej-mottaget": on a page that
// says it was refused, data-ej-mottaget). On every page:
// - the login page, or a page that refused the form: a sent draft was not received, so
//   it is kept, and the login page says that the text is kept;
// - any other page of the logged-in user: a sent draft reached the server, and this page
//   is its answer (the saved record, or the form again with its errors and the text), so
//   it is deleted. A draft of a form on this page is filled in, field by field where the
//   page still shows the baseline; a field someone else changed meanwhile is left as it
//   is, and the notice shows what was typed in it.
(function () {
  "use strict";

  var PREFIX = "kvalitet-utkast:";
  var EJ_SPARADE = ["password", "hidden", "file", "submit", "button", "reset", "image"];
  var baslinjer = new WeakMap(); // form → its fields as the server gave them

  function lagring() {
    // Missing or refused (storage turned off, full): then no drafts, as before.
    try {
      var s = window.sessionStorage;
      s.setItem(PREFIX, "");
      s.removeItem(PREFIX);
      return s;
    } catch (e) {
      return null;
    }
  }

  function anvandare() {
    return document.body.getAttribute("data-anvandare");
  }

  function falt(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken") { return false; }
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
      return el.tagName === "INPUT" && EJ_SPARADE.indexOf(el.type) === -1;
    });
  }

  function sparbar(form) {
    return !!form && form.tagName === "FORM" &&
      (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-inget-utkast") && !form.hasAttribute("data-inloggning") &&
      !form.hasAttribute("data-utloggning") && falt(form).length > 0;
  }

  // {name: [values]}: a text field's value, the checked boxes' values, the chosen options.
  function varden(form) {
    var v = {};
    falt(form).forEach(function (el) {
      var lista = v[el.name] || (v[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { lista.push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { lista.push(o.value); });
      } else {
        lista.push(el.value);
      }
    });
    return v;
  }

  function samma(a, b) {
    a = a || [];
    b = b || [];
    return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
  }

  function lika(a, b) {
    return Object.keys(a).concat(Object.keys(b)).every(function (namn) {
      return samma(a[namn], b[namn]);
    });
  }

  // The form's address (as the server's login redirect sees it); forms posting to the
  // same address on one page are told apart by their order.
  function adress(form) {
    var url = new URL(form.getAttribute("action") || location.href, location.href);
    return url.pathname + url.search;
  }

  function nyckel(form, uid) {
    var egen = adress(form);
    var samma_adress = Array.prototype.filter.call(document.forms, function (f) {
      return sparbar(f) && adress(f) === egen;
    });
    var n = samma_adress.indexOf(form);
    return PREFIX + uid + ":" + egen + (n > 0 ? "#" + n : "");
  }

  function nycklar(s) {
    var alla = [];
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(PREFIX) === 0 && k !== PREFIX) { alla.push(k); }
    }
    return alla;
  }

  function las(s, k) {
    try {
      var u = JSON.parse(s.getItem(k));
      return u && u.varden && u.baslinje ? u : null;
    } catch (e) {
      return null;
    }
  }

  function skriv(s, k, u) {
    try { s.setItem(k, JSON.stringify(u)); } catch (e) { /* full: no draft */ }
  }

  function spara(form, skickad) {
    var s = lagring();
    var uid = anvandare();
    if (!s || !uid || !sparbar(form)) { return; }
    var bas = baslinjer.get(form) || {};
    var nu = varden(form);
    var k = nyckel(form, uid);
    if (lika(nu, bas)) {
      s.removeItem(k); // nothing typed (or all of it undone)
      return;
    }
    skriv(s, k, { varden: nu, baslinje: bas, skickad: !!skickad, hinder: null });
  }

  function satt(form, namn, lista, andrade) {
    var i = 0;
    falt(form).forEach(function (el) {
      if (el.name !== namn) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        var vald = lista.indexOf(el.value) !== -1;
        if (el.checked !== vald) { el.checked = vald; andrade.push(el); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = lista.indexOf(o.value) !== -1; });
        andrade.push(el);
      } else {
        var v = i < lista.length ? lista[i] : "";
        i++;
        if (el.value !== v) { el.value = v; andrade.push(el); }
      }
    });
  }

  function etikett(form, el) {
    var grupp = (el.type === "radio" || el.type === "checkbox") && el.closest("fieldset");
    var text = grupp && grupp.querySelector("legend");
    if (!text && el.id) { text = form.querySelector('label[for="' + CSS.escape(el.id) + '"]'); }
    return text ? text.textContent.replace(/\s*\*\s*$/, "").replace(/\s+/g, " ").trim() : el.name;
  }

  // What was typed in a field, as the page shows it (an option's text, not its value).
  function som_text(form, namn, lista) {
    return lista.map(function (v) {
      var el = falt(form).filter(function (f) { return f.name === namn; })[0];
      if (el && el.tagName === "SELECT") {
        var o = Array.prototype.filter.call(el.options, function (x) { return x.value === v; })[0];
        return o ? o.text : v;
      }
      if (el && (el.type === "radio" || el.type === "checkbox")) {
        var val = form.querySelector('input[name="' + CSS.escape(namn) + '"][value="' + CSS.escape(v) + '"]');
        return val ? etikett(form, { type: "text", id: val.id, name: v }) : v;
      }
      return v;
    }).join(", ");
  }

  function element(tagg, klass, text) {
    var el = document.createElement(tagg);
    if (klass) { el.className = klass; }
    if (text) { el.textContent = text; }
    return el;
  }

  var NOTISER = {
    utloggad: "Det du skrev innan du loggades ut är återställt. Kontrollera och skicka.",
    "ej-mottaget": "Formuläret kunde inte skickas, men det du skrev är återställt. Kontrollera och skicka igen.",
    tidigare: "Det du skrev tidigare i den här fliken är återställt. Kontrollera och skicka."
  };

  function notis(form, u, andrade, konflikter, nu) {
    var ruta = element("div", "meddelande info utkastnotis");
    ruta.setAttribute("role", "status");
    ruta.tabIndex = -1;
    if (andrade.length) { ruta.appendChild(element("p", "", NOTISER[u.hinder] || NOTISER.tidigare)); }
    konflikter.forEach(function (namn) {
      var el = falt(form).filter(function (f) { return f.name === namn; })[0];
      ruta.appendChild(element("p", "",
        "”" + etikett(form, el) + "” har ändrats av någon annan sedan du skrev, så det du " +
        "skrev där är inte ifyllt. Det du skrev:"));
      ruta.appendChild(element("blockquote", "fritext", som_text(form, namn, u.varden[namn])));
    });
    if (andrade.length) {
      var rad = element("p");
      var knapp = element("button", "secondary outline liten", "Ta bort det återställda");
      knapp.type = "button";
      knapp.addEventListener("click", function () {
        var tillbaka = [];
        Object.keys(nu).forEach(function (namn) { satt(form, namn, nu[namn], tillbaka); });
        tillbaka.forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
        var s = lagring();
        if (s) { s.removeItem(nyckel(form, anvandare())); }
        ruta.remove();
        var forsta = falt(form)[0];
        if (forsta) { forsta.focus(); }
      });
      rad.appendChild(knapp);
      ruta.appendChild(rad);
    }
    form.parentNode.insertBefore(ruta, form);
    return ruta;
  }

  function aterstall(form, s, k, u) {
    var nu = varden(form);
    var andrade = [];
    var konflikter = [];
    Object.keys(u.varden).forEach(function (namn) {
      var skrivet = u.varden[namn];
      var bas = u.baslinje[namn];
      var sida = nu[namn];
      if (!(namn in nu)) { return; } // no longer in the form
      if (samma(skrivet, bas) || samma(skrivet, sida)) { return; } // not typed, or shown
      if (!samma(sida, bas)) { konflikter.push(namn); return; } // changed meanwhile
      satt(form, namn, skrivet, andrade);
    });
    if (!andrade.length && !konflikter.length) {
      s.removeItem(k);
      return null;
    }
    // A form in a closed <details> (a step, a new action) is opened.
    for (var a = form.parentElement; a; a = a.parentElement) {
      if (a.tagName === "DETAILS") { a.open = true; }
    }
    var ruta = notis(form, u, andrade, konflikter, nu);
    // The page's own reactions (a field shown for one choice ...), and from here an
    // ordinary draft of this page, against what the server gave now.
    andrade.forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
    spara(form, false);
    return ruta;
  }

  // The login page, or a page saying a sent form was refused: the sent drafts were not
  // received; they are kept, and the login page says so.
  function inte_mottaget(s, hinder) {
    var finns = false;
    nycklar(s).forEach(function (k) {
      var u = las(s, k);
      if (!u) { s.removeItem(k); return; }
      if (u.skickad) {
        u.skickad = false;
        u.hinder = hinder;
        skriv(s, k, u);
      }
      finns = true;
    });
    if (finns) {
      document.querySelectorAll("[data-utkast-kvar]").forEach(function (el) { el.hidden = false; });
    }
  }

  function vid_sidladdning() {
    var s = lagring();
    if (!s) { return; }
    if (document.querySelector("form[data-inloggning]")) { inte_mottaget(s, "utloggad"); return; }
    if (document.querySelector("[data-ej-mottaget]")) { inte_mottaget(s, "ej-mottaget"); return; }
    var uid = anvandare();
    if (!uid) { return; }
    nycklar(s).forEach(function (k) {
      var u = las(s, k);
      if (!u || k.indexOf(PREFIX + uid + ":") !== 0 || u.skickad) { s.removeItem(k); }
    });
    var forsta = null;
    Array.prototype.forEach.call(document.forms, function (form) {
      if (!sparbar(form)) { return; }
      baslinjer.set(form, varden(form));
      var k = nyckel(form, uid);
      var u = las(s, k);
      var ruta = u && aterstall(form, s, k, u);
      forsta = forsta || ruta;
    });
    if (forsta) { forsta.focus(); }
  }

  document.addEventListener("DOMContentLoaded", vid_sidladdning);
  // Forms htmx brings in: their baseline is what they show when they arrive.
  document.addEventListener("htmx:afterSwap", function (event) {
    Array.prototype.forEach.call(event.target.querySelectorAll("form"), function (form) {
      if (sparbar(form) && !baslinjer.has(form)) { baslinjer.set(form, varden(form)); }
    });
  });
  ["input", "change"].forEach(function (typ) {
    document.addEventListener(typ, function (event) {
      if (event.target.form) { spara(event.target.form, false); }
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-utloggning")) {
      var s = lagring();
      if (s) { nycklar(s).forEach(function (k) { s.removeItem(k); }); }
      return;
    }
    spara(form, true);
  }, true);
})();
