// Irreversible actions ask before they are sent. A form with `data-confirm="<what follows>"` opens a
// dialog; confirming sends the form with `confirmed=true`. Without JavaScript the server asks on a page
// of its own, so the form works either way. (A static file: the Content Security Policy forbids inline
// scripts.)
(function () {
  "use strict";

  function dialogFor(form) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) {
      return null;
    }
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    dialog.querySelector("[data-confirm-ok]").textContent = form.dataset.confirmButton || "OK";
    return dialog;
  }

  function confirmed(form) {
    var field = form.querySelector("input[name=confirmed]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirmed";
      form.appendChild(field);
    }
    field.value = "true";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === "true") {
      return;
    }
    var dialog = dialogFor(form);
    if (!dialog || typeof dialog.showModal !== "function") {
      return;  // no dialog support: the server's confirmation page asks instead
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "ok") {
        confirmed(form);
        form.dataset.confirmed = "true";
        form.requestSubmit();
      }
    };
    dialog.showModal();
  }, true);
}());
