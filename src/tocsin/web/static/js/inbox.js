/* The inbox's page script (loaded only on /inbox pages; the CSP forbids inline scripts).
 * - live list: a server-sent event "change" re-fetches the rows (no reload);
 * - keyboard: j/k move, Enter/o open, a assign to me, e resolve, r reply, / search, ? help;
 * - SLA countdowns on [data-due]; canned replies fill the composer; draft checks (voice and
 *   personal data) while typing; presence heartbeats show who else has the case open.
 */
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields || {});
    body.set("csrf_token", csrf());
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf() },
    });
  }

  function countdowns() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      if (!el.dataset.label) el.dataset.label = el.textContent;
      var due = new Date(el.getAttribute("data-due")).getTime();
      if (isNaN(due)) return;
      var left = Math.round((due - now) / 1000);
      var sign = left < 0 ? "-" : "";
      var abs = Math.abs(left);
      var h = Math.floor(abs / 3600);
      var m = Math.floor((abs % 3600) / 60);
      var s = abs % 60;
      var clock = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
      el.textContent = el.dataset.label + " · " + sign + clock;
      el.classList.toggle("is-overdue", left < 0);
    });
  }

  // ---- the list -----------------------------------------------------------------------
  var rowsBox = document.getElementById("inbox-rows");
  var selected = -1;

  function rows() {
    return rowsBox ? Array.prototype.slice.call(rowsBox.querySelectorAll(".case-row")) : [];
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) {
      row.classList.toggle("is-selected", i === selected);
    });
    all[selected].focus();
  }

  function selectedId() {
    var all = rows();
    return selected >= 0 && all[selected] ? all[selected].getAttribute("data-case-id") : null;
  }

  function refresh() {
    if (!rowsBox) return;
    var keep = selectedId();
    fetch(rowsBox.getAttribute("data-list") + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        rowsBox.innerHTML = html;
        countdowns();
        var all = rows();
        for (var i = 0; i < all.length; i++) {
          if (all[i].getAttribute("data-case-id") === keep) { select(i); return; }
        }
        selected = -1;
      });
  }

  if (rowsBox && window.EventSource) {
    var source = new EventSource(rowsBox.getAttribute("data-stream"));
    source.addEventListener("change", refresh);
  }

  // ---- the case page ------------------------------------------------------------------
  var composer = document.getElementById("composer");
  var text = document.getElementById("reply-text");
  var canned = document.getElementById("canned");
  var warnings = document.getElementById("draft-warnings");
  var actions = document.getElementById("case-actions");
  var timer = null;

  function showWarnings(data) {
    warnings.textContent = "";
    var items = (data.voice || []).map(function (i) { return [i.severity, i.message]; });
    if (data.pii && data.pii.length) {
      items.push(["warning", "Personal data (" + data.pii.map(function (p) { return p.type; }).join(", ") +
        "): send privately or confirm."]);
    }
    if (data.approval_reasons && data.approval_reasons.length) {
      items.push(["info", "Needs approval: " + data.approval_reasons.join(", ")]);
    }
    items.forEach(function (item) {
      var p = document.createElement("p");
      p.className = "warning warning-" + item[0];
      p.textContent = item[1];
      warnings.appendChild(p);
    });
  }

  function checkDraft() {
    if (!composer || !text.value.trim()) return;
    post(composer.getAttribute("data-check"), { text: text.value })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) showWarnings(data); });
  }

  if (composer) {
    canned.addEventListener("change", function () {
      var option = canned.options[canned.selectedIndex];
      if (option && option.getAttribute("data-text")) {
        text.value = option.getAttribute("data-text");
        checkDraft();
      }
    });
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(checkDraft, 500);
    });
  }

  function heartbeat() {
    if (!actions) return;
    var id = actions.getAttribute("data-case-id");
    var composing = text && document.activeElement === text ? "true" : "false";
    post("/inbox/cases/" + id + "/presence", { composing: composing })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var box = document.getElementById("collision");
        if (!data || !box) return;
        box.hidden = !data.others.length;
        box.textContent = data.others.map(function (o) {
          return o.name + (o.composing ? " is replying to this case" : " is viewing this case");
        }).join(" · ");
      });
  }
  if (actions) {
    heartbeat();
    setInterval(heartbeat, 15000);
  }

  // ---- keyboard -------------------------------------------------------------------------
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function actOnSelected(path, fields) {
    var id = selectedId();
    if (!id) return;
    post("/inbox/cases/" + id + path, fields).then(refresh);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    var handled = true;
    if (key === "j") select(selected + 1);
    else if (key === "k") select(selected - 1);
    else if ((key === "Enter" || key === "o") && selectedId()) window.location = "/inbox/cases/" + selectedId();
    else if (key === "/") { var q = document.getElementById("inbox-q"); if (q) q.focus(); else handled = false; }
    else if (key === "?") { var help = document.getElementById("inbox-help-dialog"); if (help) help.showModal(); }
    else if (key === "a") {
      if (actions) document.getElementById("assign-me").click();
      else actOnSelected("/assign", { user_id: "me" });
    } else if (key === "e") {
      if (actions) document.getElementById("resolve").click();
      else actOnSelected("/status", { status: "resolved" });
    } else if (key === "r") {
      if (text) text.focus();
      else if (selectedId()) window.location = "/inbox/cases/" + selectedId() + "#composer";
    } else handled = false;
    if (handled) event.preventDefault();
  });

  countdowns();
  setInterval(countdowns, 1000);
})();
