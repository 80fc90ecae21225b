// Manual demand entry: once the subject or the content changes, ask the server which recent posts
// and demands look alike, and list them under the form. Nothing typed is touched; without
// JavaScript the form simply submits and the demand's page shows its near-duplicates.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) { return; }
  var box = document.getElementById("similar-matches");
  var list = box.querySelector("ul");
  var subject = form.querySelector("[name=subject]");
  var content = form.querySelector("[name=content]");
  var timer = null;
  var asked = "";

  function show(matches) {
    list.replaceChildren();
    matches.forEach(function (match) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = match.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = match.text;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" " + match.title));
      list.appendChild(item);
    });
    box.classList.toggle("d-none", matches.length === 0);
  }

  function ask() {
    var query = new URLSearchParams({ subject: subject ? subject.value : "", content: content ? content.value : "" });
    if (query.toString() === asked) { return; }
    asked = query.toString();
    fetch(form.dataset.similarUrl + "?" + asked, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { show(data.matches || []); })
      .catch(function () { /* the check is a help, never a condition of entry */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 600);
  }
  [subject, content].forEach(function (field) {
    if (!field) { return; }
    field.addEventListener("change", ask);
    field.addEventListener("input", later);
  });
})();
