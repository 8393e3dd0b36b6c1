/* Tocsin's only page script (the CSP forbids inline scripts).
 * - sends the session's CSRF token with every htmx request that changes something;
 * - shows <time datetime> values in the reader's language and time zone;
 * - submits [data-autosubmit] selects on change, asks [data-confirm] forms to confirm,
 *   copies [data-copy] targets to the clipboard.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "get").toUpperCase();
    if (verb !== "GET" && verb !== "HEAD") {
      event.detail.headers["X-CSRF-Token"] = csrfToken();
    }
  });

  var formatter = null;
  function localTimes(root) {
    if (!formatter) {
      try {
        formatter = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
          dateStyle: "medium",
          timeStyle: "short",
        });
      } catch (e) {
        return;
      }
    }
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when.getTime())) {
        el.title = el.getAttribute("datetime");
        el.textContent = formatter.format(when);
      }
    });
  }

  function enhance(root) {
    localTimes(root);
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.bound) return;
      select.dataset.bound = "1";
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-copy"));
        if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent);
      });
    });
  }

  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });
})();
