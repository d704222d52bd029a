/* llmmath explorers in the static book: switch between frames precomputed at build time.
 * Each explorer is a <div class="llmx-explorer"> holding its controls, the visible frame
 * and a JSON payload {params: [{name, labels}], shape, frames: [{png?, text}], alt}.
 * Frames are stored in C order over the parameter grid (numpy.ravel_multi_index). */
(function () {
  "use strict";

  function setup(root) {
    var payload = root.querySelector("script.llmx-data");
    if (!payload || root.dataset.ready) { return; }
    var data = JSON.parse(payload.textContent);
    var controls = data.params.map(function (p) {
      return root.querySelector('[data-param="' + p.name + '"]');
    });
    var output = root.querySelector(".llmx-output");

    function element(tag, cls) {
      var el = output.querySelector(tag + "." + cls);
      if (!el) {
        el = document.createElement(tag);
        el.className = cls;
        output.appendChild(el);
      }
      return el;
    }

    function update() {
      var flat = 0;
      var described = [];
      data.params.forEach(function (p, i) {
        var index = parseInt(controls[i].value, 10);
        flat = flat * data.shape[i] + index;
        described.push(p.name + " = " + p.labels[index]);
        if (controls[i].type === "range") {
          controls[i].setAttribute("aria-valuetext", p.labels[index]);
          if (controls[i].nextElementSibling) {
            controls[i].nextElementSibling.textContent = p.labels[index];
          }
        }
      });
      var frame = data.frames[flat];
      if (frame.png) {
        var img = element("img", "llmx-image");
        img.src = "data:image/png;base64," + frame.png;
        if (frame.width) { img.style.setProperty("--llmx-width", frame.width + "px"); }
        img.alt = data.alt + " (" + described.join(", ") + ")";
      }
      if (frame.text) {
        element("pre", "llmx-text").textContent = frame.text;
      }
      root.dataset.frame = String(flat);
    }

    controls.forEach(function (control) {
      control.addEventListener("input", update);
      control.addEventListener("change", update);
    });
    root.dataset.ready = "true";
    update();
  }

  /* Number the explorers of a page like figures: "Explorer 2.1" in chapter 2. */
  function number() {
    var heading = document.querySelector(".bd-article h1 .section-number");
    var chapter = heading ? heading.textContent.replace(/[.\s]+$/, "").trim() : "";
    document.querySelectorAll(".llmx-explorer .llmx-number").forEach(function (el, i) {
      el.textContent = "Explorer " + (chapter ? chapter + "." : "") + (i + 1) + ".";
    });
  }

  function setupAll() {
    document.querySelectorAll(".llmx-explorer").forEach(setup);
    number();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
