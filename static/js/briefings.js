// Drafting a briefing: the day follows the kind chosen (yesterday for a daily briefing, a day of
// last week for a weekly one, last month for a monthly one: the data-default-<kind> attributes the
// server wrote) until the day is changed by hand. Without JavaScript the defaults of the kind the
// page was opened with stay, and any day can be typed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-briefing-draft]");
  if (!form) { return; }
  var kind = form.querySelector("[name=kind]");
  var day = form.querySelector("[name=day]");
  if (!kind || !day) { return; }
  var touched = day.value !== day.getAttribute("data-default-" + kind.value);
  day.addEventListener("input", function () { touched = true; });
  kind.addEventListener("change", function () {
    var value = day.getAttribute("data-default-" + kind.value);
    if (!touched && value) { day.value = value; }
  });
})();
