// Baton UI: the confirm dialog of actions, and the live refresh of a
// running execution's page. No framework, no inline handlers (the pages'
// Content-Security-Policy forbids them): everything is bound here.
"use strict";

(function () {
  // Confirm: a form with data-confirm asks first, in the page's <dialog>.
  const dialog = document.getElementById("confirm");
  let pending = null;
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || !dialog) {
      return;
    }
    if (form.dataset.confirmed === "1") {
      return;
    }
    ev.preventDefault();
    pending = form;
    document.getElementById("confirm-text").textContent = form.dataset.confirm;
    dialog.showModal();
  });
  if (dialog) {
    dialog.addEventListener("close", function () {
      const form = pending;
      pending = null;
      if (form && dialog.returnValue === "ok") {
        form.dataset.confirmed = "1";
        form.requestSubmit();
      }
    });
  }

  // A diagram wider than its box opens centred on the workflow's spine.
  function centre() {
    document.querySelectorAll(".diagram-wrap").forEach(function (w) {
      if (w.scrollWidth > w.clientWidth && w.scrollLeft === 0) {
        w.scrollLeft = (w.scrollWidth - w.clientWidth) / 2;
      }
    });
  }
  centre();

  // Live refresh: <main data-refresh="ms"> reloads #live in place while the
  // workflow runs, unless the person is typing or a dialog is open.
  const main = document.getElementById("main");
  const every = main ? parseInt(main.dataset.refresh || "0", 10) : 0;
  if (!every) {
    return;
  }
  let dirty = false;
  main.addEventListener("input", function () { dirty = true; });
  async function refresh() {
    if (dirty || (dialog && dialog.open) || document.hidden) {
      return true;
    }
    const res = await fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
    if (!res.ok) {
      return true;
    }
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const next = doc.getElementById("live");
    const cur = document.getElementById("live");
    if (!next || !cur || dirty) {
      return true;
    }
    // Keep the <details> the reader opened or closed as they were.
    const open = {};
    cur.querySelectorAll("details").forEach(function (d, i) { open[i] = d.open; });
    next.querySelectorAll("details").forEach(function (d, i) { if (i in open) { d.open = open[i]; } });
    const left = cur.querySelector(".diagram-wrap") ? cur.querySelector(".diagram-wrap").scrollLeft : 0;
    cur.replaceWith(document.adoptNode(next));
    const wrap = next.querySelector(".diagram-wrap");
    if (wrap) { wrap.scrollLeft = left; }
    const nextMain = doc.getElementById("main");
    return !!(nextMain && nextMain.dataset.refresh);
  }
  function loop() {
    setTimeout(function () {
      refresh().then(function (again) {
        if (again) { loop(); } else { main.removeAttribute("data-refresh"); document.body.dataset.settled = "1"; }
      }, loop);
    }, every);
  }
  loop();
})();
