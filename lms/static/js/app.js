// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Close the menu when a link inside it is followed on small screens.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".menu nav a");
    var menu = link && link.closest("details");
    if (menu) { menu.removeAttribute("open"); }
  });
})();
