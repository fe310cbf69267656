// Auto-refresh for live pages: reload every data-refresh seconds, keep the scroll position,
// and hold off while the tab is hidden, a menu is open or the user is typing. Click to pause.
(function () {
  "use strict";
  // Menus built on <details> close on a click elsewhere or on Escape, as menus do.
  function closeMenus(except) {
    document.querySelectorAll("details.switcher[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (e) {
    closeMenus(e.target.closest ? e.target.closest("details.switcher") : null);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeMenus(null);
  });

  // The mention list's bulk bar: tick all on the page, count what is ticked, and ask whom to
  // assign to only for an assignment. Without scripts the bar works the same, only plainer.
  var pickAll = document.querySelector("[data-pick-all]");
  var picks = document.querySelectorAll("input[data-pick]");
  var pickedCount = document.querySelector("[data-picked-count]");
  var pickedText = pickedCount ? pickedCount.textContent : "";
  function showPicked() {
    if (!pickedCount) return;
    var n = 0;
    picks.forEach(function (p) { if (p.checked) n += 1; });
    // The words come translated from the page: data-one, and data-many with %(n)s for the count.
    var words = n === 1 ? pickedCount.getAttribute("data-one")
      : (pickedCount.getAttribute("data-many") || "").replace("%(n)s", String(n));
    pickedCount.textContent = n ? words : pickedText;
    pickedCount.classList.toggle("has-picked", n > 0);
    if (pickAll) pickAll.checked = n > 0 && n === picks.length;
  }
  if (pickAll) {
    pickAll.addEventListener("change", function () {
      picks.forEach(function (p) { p.checked = pickAll.checked; });
      showPicked();
    });
  }
  picks.forEach(function (p) { p.addEventListener("change", showPicked); });
  showPicked();
  var bulkAction = document.querySelector("[data-bulk-action]");
  var assignee = document.querySelector("[data-assignee]");
  function showAssignee() {
    if (bulkAction && assignee) assignee.hidden = bulkAction.value !== "assign";
  }
  if (bulkAction) bulkAction.addEventListener("change", showAssignee);
  showAssignee();

  var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (!seconds) return;
  var key = "dengar-scroll:" + location.pathname + location.search;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    window.scrollTo(0, parseInt(saved, 10) || 0);
    sessionStorage.removeItem(key);
  }
  var status = document.querySelector("[data-refresh-toggle]");
  var paused = sessionStorage.getItem("dengar-refresh-paused") === "1";
  var left = seconds;

  function busy() {
    if (document.hidden) return true;
    if (document.querySelector("details[data-pauses-refresh][open]")) return true;
    var el = document.activeElement;
    return !!el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA");
  }
  function show() {
    if (!status) return;
    // The words come from the page, in its language; %(n)s is the countdown.
    status.textContent = paused ? status.dataset.pausedText
      : status.dataset.countdownText.replace("%(n)s", String(left));
    status.classList.toggle("paused", paused);
  }
  if (status) {
    status.addEventListener("click", function () {
      paused = !paused;
      sessionStorage.setItem("dengar-refresh-paused", paused ? "1" : "0");
      left = seconds;
      show();
    });
  }
  show();
  window.setInterval(function () {
    if (paused || busy()) return;
    left -= 1;
    if (left <= 0) {
      sessionStorage.setItem(key, String(window.scrollY));
      window.location.reload();
      return;
    }
    show();
  }, 1000);
})();
