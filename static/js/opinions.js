// The monitor refreshes itself: every 30 seconds it fetches the same page (same filters, same
// page number) as a fragment and swaps the table in. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  var status = document.getElementById("monitor-status");
  if (!status) { return; }
  var url = status.dataset.partialUrl;
  var seconds = parseInt(status.dataset.refreshSeconds || "30", 10);
  var stamp = status.querySelector("[data-refreshed]");

  function refresh() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;  // our own server's escaped fragment
        var fresh = holder.querySelector("#monitor-table");
        var current = document.getElementById("monitor-table");
        if (fresh && current) {
          current.replaceWith(fresh);
          if (stamp) { stamp.textContent = new Date().toLocaleTimeString(); }
        }
      })
      .catch(function () { /* the next round tries again */ });
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();

// Demand deadlines: each badge counts down (or up, once overdue) every 30 seconds.
(function () {
  "use strict";
  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    return days ? days + " d " + hours + " h" : hours + " h " + (minutes % 60) + " min";
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (badge) {
      var left = new Date(badge.dataset.due).getTime() - Date.now();
      var label = left < 0 ? badge.dataset.overdueLabel : badge.dataset.leftLabel;
      if (!label) { return; }
      badge.textContent = label.replace("SPAN", span(left));
      badge.classList.toggle("text-bg-danger", left < 0);
      badge.classList.toggle("text-bg-warning", left >= 0 && left < 7200000);
      badge.classList.toggle("text-bg-light", left >= 7200000);
    });
  }
  if (document.querySelector("[data-countdown]")) { window.setInterval(tick, 30000); }
})();

// The reply helper: a template (答复口径) or a similar case's reply fills the reply box. Text
// already typed is never lost: when the box holds other text, three buttons ask first (replace,
// add at the end, cancel). Without JavaScript the same buttons submit the reply form and the
// server does the same (opinions.templating.reply_insert).
(function () {
  "use strict";
  var helper = document.querySelector("[data-reply-helper]");
  var form = document.querySelector('form[data-testid="action-reply"]');
  if (!helper || !form) { return; }
  var box = form.querySelector('textarea[name="reply_text"]');
  var chosen = form.querySelector('input[name="reply_template"]');
  var choice = helper.querySelector("[data-reply-choice]");
  if (!box || !choice) { return; }
  var pending = null;

  function put(button, how) {
    var text = button.dataset.replyText || "";
    if (how === "append") {
      box.value = box.value.replace(/\s+$/, "") + "\n\n" + text;
      if (chosen && button.dataset.templateId) { chosen.value = button.dataset.templateId; }
    } else {
      box.value = text;
      if (chosen) { chosen.value = button.dataset.templateId || ""; }
    }
  }

  function close(focus) {
    choice.hidden = true;
    if (focus) { focus.focus(); }
    pending = null;
  }

  document.querySelectorAll("[data-reply-fill]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var text = button.dataset.replyText || "";
      var typed = box.value.trim();
      if (!typed || typed === text.trim()) {
        put(button, "replace");
        close(null);
        box.focus();
        box.scrollIntoView({ block: "center" });
        return;
      }
      pending = button;
      choice.querySelector("[data-reply-choice-name]").textContent = button.dataset.replyName || "";
      choice.hidden = false;
      choice.scrollIntoView({ block: "center" });
      choice.querySelector("[data-reply-choose]").focus();
    });
  });

  choice.querySelectorAll("[data-reply-choose]").forEach(function (option) {
    option.addEventListener("click", function (event) {
      if (!pending) { return; }  // the question the server asked (no script then): let it submit
      event.preventDefault();
      var how = option.dataset.replyChoose;
      var button = pending;
      if (how === "cancel") { close(button); return; }
      put(button, how);
      close(box);
      box.scrollIntoView({ block: "center" });
    });
  });

  choice.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && pending) { close(pending); }
  });
})();
