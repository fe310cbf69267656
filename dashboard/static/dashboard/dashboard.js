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
    status.textContent = paused ? "Auto-refresh paused" : "Refreshing in " + left + " s";
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
