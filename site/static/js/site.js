// Progressive enhancement only: the site works without this file.
// On wide screens the menu is always shown; browsers that cannot style the <details> content
// in CSS get it opened here instead.
(function () {
  "use strict";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 56em)");
  function sync() { if (wide.matches) { menu.open = true; } }
  sync();
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
})();
